CREATE INDEX "document_snapshots_rank_idx" ON "document_snapshots" USING gin ("rank_vector");
