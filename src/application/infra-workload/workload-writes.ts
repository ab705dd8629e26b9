import { AaiWrite, AaiWriter } from '../ports/aai.port';

export interface FailedWrite {
  action: string;
  uri: string;
  status?: number;
  message: string;
}

/** Every write, in batches the writer takes (bulk transactions where A&AI has them); the failed ones, in order. */
export async function writeAll(writer: AaiWriter, writes: AaiWrite[]): Promise<FailedWrite[]> {
  const failed: FailedWrite[] = [];
  const size = Math.max(1, writer.batchSize);
  for (let start = 0; start < writes.length; start += size) {
    const batch = writes.slice(start, start + size);
    const results = await writer.write(batch);
    results.forEach((result, i) => {
      if (!result.ok) failed.push({ action: batch[i].action, uri: batch[i].uri, status: result.status, message: result.message });
    });
  }
  return failed;
}
