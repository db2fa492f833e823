/**
 * The proxy rules judged by the clients themselves, not by our reading of them: every row of the
 * table, under both rule sets, against the installed botocore (what the aws CLI calls:
 * get_environ_proxies + ProxyConfiguration.proxy_url_for) and Go's net/http ProxyFromEnvironment
 * (what kubectl's transport calls). Both are required on CI (.ci/run).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { proxyFor } from '../../src/collect/proxy.js';
import { TABLE } from './proxy-table.js';

const BOTOCORE = `
import json, os, sys
from botocore.utils import get_environ_proxies
from botocore.httpsession import ProxyConfiguration
answers = []
for target, env in json.load(sys.stdin):
    os.environ.clear()
    os.environ.update(env)
    answers.append(ProxyConfiguration(proxies=get_environ_proxies(target)).proxy_url_for(target))
print(json.dumps(answers))
`;

const GO = `package main

import (
	"fmt"
	"net/http"
	"os"
)

// One URL per process: net/http reads the environment once.
func main() {
	req, err := http.NewRequest("GET", os.Args[1], nil)
	if err != nil {
		fmt.Println("bad url")
		return
	}
	proxy, err := http.ProxyFromEnvironment(req)
	if err != nil || proxy == nil {
		// An error (HTTP_PROXY under CGI) means a direct connection too.
		fmt.Println("direct")
		return
	}
	fmt.Println(proxy.String())
}
`;

const rows = TABLE.map(([, target, env]) => ({ target, env }));
const normalise = (url: string | null | undefined): string | null =>
  url === null || url === undefined || url === 'direct' ? null : new URL(url).href;

let dir = '';
let goOracle = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eksauth-proxy-oracle-'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'main.go'), GO);
  goOracle = join(dir, 'proxy-oracle');
  execFileSync('go', ['build', '-o', goOracle, '.'], {
    cwd: join(dir, 'src'),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GO111MODULE: 'off', GOFLAGS: '', GOCACHE: join(tmpdir(), 'eksauth-referee', 'go-build') },
  });
}, 180_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the table agrees with the real clients', () => {
  test('botocore (the aws CLI) on every row', () => {
    const input = JSON.stringify(rows.map(({ target, env }) => [target, env]));
    const answers = JSON.parse(
      execFileSync('python3', ['-c', BOTOCORE], { input, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } }),
    ) as (string | null)[];
    const disagreements = rows
      .map(({ target, env }, i) => ({
        target,
        env,
        botocore: normalise(answers[i]),
        ours: proxyFor(target, env, 'aws'),
      }))
      .filter((row) => row.botocore !== (row.ours?.url.href ?? null));
    expect(disagreements).toEqual([]);
  });

  test("Go's ProxyFromEnvironment (kubectl) on every row", () => {
    const disagreements = rows
      .map(({ target, env }) => {
        const go = execFileSync(goOracle, [target], { encoding: 'utf8', env }).trim();
        return { target, env, go: normalise(go), ours: proxyFor(target, env, 'kubectl')?.url.href ?? null };
      })
      .filter((row) => row.go !== row.ours);
    expect(disagreements).toEqual([]);
  });
});
