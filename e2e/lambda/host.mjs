// A small host of the AWS Lambda Invoke API for the end-to-end tests:
// POST /2015-03-31/functions/{name}/invocations runs the handler exported
// by functions/{name}.mjs with the request's body as the event, and
// answers with what the handler returns, or, when it throws, with
// X-Amz-Function-Error: Unhandled and {"errorMessage", "errorType"}, as
// Lambda and `sam local start-lambda` do. The handlers are written the
// way teams write real triggers, so the same files would run on Lambda.
//
// It listens on 127.0.0.1 and a free port, and prints "listening PORT".
import http from 'node:http';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const functions = path.join(path.dirname(fileURLToPath(import.meta.url)), 'functions');
const route = /^\/2015-03-31\/functions\/([A-Za-z0-9_-]+)\/invocations$/;

function answer(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function apiError(res, status, type, message) {
  answer(res, status, { Type: 'User', message }, { 'X-Amzn-ErrorType': type });
}

const server = http.createServer(async (req, res) => {
  const m = route.exec(new URL(req.url, 'http://host').pathname);
  if (req.method !== 'POST' || !m) {
    apiError(res, 404, 'UnknownOperationException', `no route ${req.method} ${req.url}`);
    return;
  }
  const file = path.join(functions, `${m[1]}.mjs`);
  if (!existsSync(file)) {
    apiError(res, 404, 'ResourceNotFoundException', `Function not found: ${m[1]}`);
    return;
  }
  const chunks = [];
  for await (const c of req) chunks.push(c);
  let event;
  try {
    event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    apiError(res, 400, 'InvalidRequestContentException', 'Could not parse request body into json');
    return;
  }
  try {
    const { handler } = await import(pathToFileURL(file).href);
    const result = await handler(event);
    answer(res, 200, result ?? null);
  } catch (err) {
    answer(res, 200, { errorMessage: err.message, errorType: err.name ?? 'Error' }, { 'X-Amz-Function-Error': 'Unhandled' });
  }
});

server.listen(0, '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
