import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

/**
 * An S3-compatible server for the tests: s3rver, a Node emulator of the S3 API (not Amazon S3, not MinIO), on
 * port 0 with a bucket of its own. Its default credentials are S3RVER / S3RVER.
 */
export async function startS3(bucket = 'stukwerk-bijlagen') {
  const directory = mkdtempSync(path.join(tmpdir(), 'stukwerk-s3-'));
  const s3 = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await s3.run();
  return {
    url: `s3://S3RVER:S3RVER@127.0.0.1:${port}/${bucket}`,
    directory,
    async close() {
      await s3.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
