// PostGraphile v4 over the product's own tables, for bench/graphql_vs_postgraphile.py.
// usage: node server.js <postgres url> <port> <processes>
const cluster = require("cluster");
const http = require("http");
const { postgraphile } = require("postgraphile");

const [url, port, processes] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4] || 1)];

if (cluster.isPrimary && processes > 1) {
  for (let i = 0; i < processes; i += 1) cluster.fork();
} else {
  const options = { dynamicJson: true, disableQueryLog: true, graphiql: false, retryOnInitFail: false };
  http.createServer(postgraphile(url, "public", options)).listen(port, "127.0.0.1");
}
