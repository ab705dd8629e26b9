import { Server } from 'node:http';
import { Duplex } from 'node:stream';

/** The status Node's parser error maps to, and its text. */
function answerFor(error: NodeJS.ErrnoException): { status: number; text: string } {
  if (error.code === 'HPE_HEADER_OVERFLOW') return { status: 431, text: 'Request Header Fields Too Large' };
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, text: 'Request Timeout' };
  return { status: 400, text: 'Bad Request' };
}

/**
 * A request Node's HTTP parser refuses (headers or request line past the size limit, bytes
 * that are not HTTP) is answered with its 4xx and `{"error"}`, and the connection is
 * closed gracefully: what the client still sends is read and dropped until it closes its
 * side. Node 24's own handler destroys the socket at once, so a client still sending its
 * headers gets a connection reset instead of the answer.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const { status, text } = answerFor(error);
    // A HEAD's answer has no body (its client would read one as the next answer).
    const head = (error as { rawPacket?: Buffer }).rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ';
    const body = head ? '' : JSON.stringify({ error: `${text}: the request could not be read (${error.code ?? 'parse error'})` });
    socket.resume();
    socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    // A client that never closes its side is not waited for.
    setTimeout(() => socket.destroy(), 5_000).unref();
  });
}
