/**
 * The `application/json` body of one answer in an openapi-typescript `operations` table, e.g.
 * `JsonBody<operations["get_server"]["responses"][200]>`; `never` when the answer has none.
 */
export type JsonBody<Answer> = Answer extends { content: { "application/json": infer Body } }
  ? Body
  : never;
