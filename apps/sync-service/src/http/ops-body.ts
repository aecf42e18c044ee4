import { PayloadTooLargeException } from '@nestjs/common';
import type { Request } from 'express';

/**
 * The hub has no global body parser (the tee and LGSP routes keep the raw bytes), so the operator API's
 * few JSON bodies are read here, refused past `maxBytes` before they are held in memory whole.
 */
export async function readOpsBody(req: Request, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      throw new PayloadTooLargeException(`the body is larger than ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
