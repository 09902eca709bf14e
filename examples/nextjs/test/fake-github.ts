import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** A workflow dispatch the fake GitHub received. */
export interface ReceivedDispatch {
  path: string;
  authorization: string | undefined;
  body: { ref: string; inputs: Record<string, string> };
}

/** A stand-in for GitHub's REST API on loopback that answers workflow dispatches. */
export interface FakeGithub {
  /** Without a trailing slash, as Octokit's `baseUrl` wants it. */
  url: string;
  dispatches: ReceivedDispatch[];
  /** The status the next dispatches answer with (204, as GitHub does, by default). */
  answerWith(status: number): void;
  /** Called with each accepted dispatch, as GitHub would start the workflow run. */
  onDispatch(handler: (dispatch: ReceivedDispatch) => void): void;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Starts the fake on 127.0.0.1; nothing reaches GitHub. */
export async function startFakeGithub(): Promise<FakeGithub> {
  const dispatches: ReceivedDispatch[] = [];
  let status = 204;
  let handler: (dispatch: ReceivedDispatch) => void = () => undefined;
  const server = createServer((request, response) => {
    void readBody(request).then((text) => {
      const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
      if (
        request.method !== "POST" ||
        !/^\/repos\/[^/]+\/[^/]+\/actions\/workflows\/[^/]+\/dispatches$/.test(path)
      ) {
        response.writeHead(404, { "content-type": "application/json" });
        response.end(JSON.stringify({ message: "Not Found" }));
        return;
      }
      const dispatch = {
        path,
        authorization: request.headers.authorization,
        body: JSON.parse(text) as ReceivedDispatch["body"],
      };
      dispatches.push(dispatch);
      if (status !== 204) {
        response.writeHead(status, { "content-type": "application/json" });
        response.end(
          JSON.stringify({ message: "Workflow does not have 'workflow_dispatch' trigger" }),
        );
        return;
      }
      response.writeHead(204);
      response.end();
      handler(dispatch);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    dispatches,
    answerWith: (next) => {
      status = next;
    },
    onDispatch: (next) => {
      handler = next;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
