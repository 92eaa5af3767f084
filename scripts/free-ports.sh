#!/usr/bin/env bash
# Prints N free TCP ports on 127.0.0.1, one per line.
n=${1:-1}
node -e '
const net = require("net");
const n = Number(process.argv[1]);
const servers = [];
(async () => {
  for (let i = 0; i < n; i++) {
    const s = net.createServer();
    await new Promise(r => s.listen(0, "127.0.0.1", r));
    servers.push(s);
  }
  console.log(servers.map(s => s.address().port).join("\n"));
  servers.forEach(s => s.close());
})();' "$n"
