import type { Argv } from 'yargs';
import { OUTPUT_FORMATS } from './output-options.js';

/** --output for the commands that print a report, a list or text in the three formats. */
export function withOutput<T>(y: Argv<T>) {
  return y.option('output', {
    alias: 'o',
    choices: OUTPUT_FORMATS,
    default: 'human' as const,
    describe: 'Output format',
  });
}

/** How doctor and whoami word the principal they look at. */
interface Wording {
  roleArn: string;
  targetProfile: string;
}

/** What doctor and whoami share: who to look at, where, how long to wait, and offline replays. */
function withPrincipalOptions<T>(y: Argv<T>, wording: Wording) {
  return (
    y
      .option('cluster', { type: 'string', describe: 'EKS cluster name' })
      .option('role-arn', { type: 'string', describe: wording.roleArn })
      .option('session-name', {
        type: 'string',
        describe: 'Session name for --role-arn (default EKSGetTokenAuth, as the aws CLI)',
      })
      .option('external-id', { type: 'string', describe: 'External id for --role-arn' })
      .option('target-profile', { type: 'string', describe: wording.targetProfile })
      .option('region', {
        type: 'string',
        describe: 'AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile)',
      })
      .option('profile', { type: 'string', describe: 'AWS profile for your own credentials' })
      .option('timeout', { type: 'number', default: 10, describe: 'Seconds each network step may take' })
      .option('save-evidence', { type: 'string', describe: 'Write everything collected (redacted) to this file' })
      .option('evidence', { type: 'string', describe: 'Replay a file written by --save-evidence, offline' })
      .option('sandbox', {
        type: 'string',
        describe: 'Run against an emulated control plane: a shipped scenario name or a scenario file',
      })
      .option('operator', {
        type: 'string',
        describe: 'With --sandbox: the scenario principal whose credentials you run with',
      })
      // The flag people type is --no-exec; yargs would list it as --exec, so help shows that spelling.
      .option('exec', { type: 'boolean', default: true, hidden: true })
      .option('no-exec', {
        type: 'boolean',
        describe: "Skip running the kubeconfig's exec plugin (default: run it to see who it resolves)",
      })
  );
}

export function withDoctorOptions<T>(y: Argv<T>) {
  return withPrincipalOptions(y, {
    roleArn: 'The role to diagnose (assumed as aws eks get-token --role-arn does); default: your own identity',
    targetProfile: 'Diagnose the identity of this profile instead of assuming --role-arn',
  })
    .usage(
      '$0 doctor --cluster NAME [--role-arn ARN | --target-profile P] [options]\n\n' +
        'Live, read-only diagnosis: why this principal gets Unauthorized from this cluster, step by step, ' +
        'and what exactly to change. Steps tick on stderr; the report goes to stdout.',
    )
    .option('can', {
      type: 'string',
      array: true,
      describe: 'A request to check, in kubectl auth can-i words: "list secrets -n prod" (repeatable)',
    })
    .option('logs-since', {
      type: 'string',
      default: '1h',
      describe:
        'How far back to read control-plane logs and CloudTrail changes (30m, 2h, 1d); writes to aws-auth are searched at least a day back',
    })
    .option('serial', {
      type: 'boolean',
      hidden: true,
      describe: 'Run steps one at a time (benchmark baseline)',
    });
}

/** whoami answers one question, so its help names only what changes the answer. */
export function withWhoamiOptions<T>(y: Argv<T>) {
  return withPrincipalOptions(y, {
    roleArn: 'Show who the cluster thinks this role is (assumed as aws eks get-token --role-arn does); default: you',
    targetProfile: 'Show who the cluster thinks the identity of this profile is',
  }).usage(
    '$0 whoami --cluster NAME [--role-arn ARN | --target-profile P] [options]\n\n' +
      'Like `kubectl auth whoami`: the username and groups the cluster gives the principal, and the mapping ' +
      '(access entry, aws-auth row, cluster creator) that gave them; when the cluster answers 401, why.',
  );
}
