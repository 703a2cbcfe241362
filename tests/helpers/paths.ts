import path from 'node:path';

export const testDataRoot = path.join(process.cwd(), '.test-data');
export const templateDir = path.join(testDataRoot, 'template-pglite');
