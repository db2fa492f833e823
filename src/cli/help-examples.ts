import type { Argv } from 'yargs';

/**
 * Two or three real command lines per command, from the stories eksauth exists for (seed 2: a
 * Terraform Cloud agent role gets Unauthorized), the sandbox (no AWS account needed) and CI.
 * Every one of them runs as written against the sandbox or the shipped examples.
 */
export const HELP_EXAMPLES = {
  top: [
    [
      '$0 doctor --cluster prod --role-arn arn:aws:iam::111122223333:role/tfc-agent-role',
      'Why does the Terraform Cloud agent role get Unauthorized from cluster prod?',
    ],
    ['$0 doctor --sandbox seed-debug-eks-unauthenticated', 'The same story on an emulated control plane, offline'],
    ['$0 verify --expect expectations.yaml --output junit', 'In CI after a migration: who may still do what'],
  ],
  doctor: [
    [
      '$0 doctor --cluster prod --role-arn arn:aws:iam::111122223333:role/tfc-agent-role',
      'Why does the Terraform Cloud agent role get Unauthorized from cluster prod?',
    ],
    ['$0 doctor --sandbox seed-debug-eks-unauthenticated', 'The same story on an emulated control plane, offline'],
    [
      '$0 doctor --cluster prod --save-evidence prod.json && $0 doctor --evidence prod.json -o markdown',
      'Save what was collected (redacted), replay it offline for a ticket',
    ],
  ],
  whoami: [
    ['$0 whoami --cluster prod', 'Who cluster prod thinks you are, and which mapping says so'],
    [
      '$0 whoami --cluster prod --role-arn arn:aws:iam::111122223333:role/tfc-agent-role',
      'The same for a role you may assume',
    ],
    ['$0 whoami --sandbox seed-debug-eks-unauthenticated', 'A principal the cluster does not know: why not'],
  ],
  verify: [
    ['$0 verify --expect expectations.yaml --output junit', 'In CI after a migration: JUnit XML, exit 1 on a mismatch'],
    [
      '$0 verify --cluster prod --generate --expect expectations.yaml',
      'Before the migration: snapshot who gets what today',
    ],
    [
      '$0 verify --sandbox seed-debug-eks-unauthenticated--fixed --expect examples/verify/tfc-agent.yaml',
      'Try it on the emulated control plane',
    ],
  ],
  token: [
    ['$0 token --cluster prod --region eu-west-1', "What kubectl runs (a kubeconfig exec entry's args)"],
    [
      '$0 token --cluster prod --role-arn arn:aws:iam::111122223333:role/tfc-agent-role --no-cache',
      'Sign as a role, minting anew',
    ],
  ],
  'decode-token': [
    ['aws eks get-token --cluster-name prod | $0 decode-token -', "What the aws CLI's token contains"],
    [
      '$0 decode-token --kubeconfig-user prod-admin --cluster prod --verify',
      'Check the token of a kubeconfig user against STS (who it signs for)',
    ],
  ],
  lint: [
    ['kubectl get configmap aws-auth -n kube-system -o yaml | $0 lint -', "Check the cluster's aws-auth"],
    ['$0 lint examples/seed1-invalid-aws-auth/aws-auth.yaml -o markdown', 'A shipped example, for a ticket'],
  ],
  explain: [
    [
      '$0 explain --principal arn:aws:iam::111122223333:role/tfc-agent-role --aws-auth examples/seed2-terraform-cloud-agent/aws-auth.yaml --cluster-info examples/seed2-terraform-cloud-agent/cluster-info.json',
      'What EKS does with the agent role, from files a colleague pasted',
    ],
    [
      '$0 explain --principal arn:aws:iam::111122223333:role/deployer --mode API --access-entries entries.json',
      'In API mode, from access entries alone',
    ],
  ],
  sandbox: [
    [
      '$0 sandbox --scenario seed-debug-eks-unauthenticated --env-out sandbox.env --kubeconfig sandbox.kubeconfig',
      'Serve a story; then `source sandbox.env` and use aws and kubectl as usual',
    ],
    ['$0 sandbox --list', 'Every shipped scenario'],
    [
      '$0 sandbox --scenario healthy --auth eksauth --fault sts:latency=2000',
      'kubectl through eksauth token, slow STS',
    ],
  ],
  checks: [
    ['$0 checks', 'Every check, with its severity and stage'],
    ['$0 checks aws-auth/role-arn-has-path', "One check's page: what it means, why, the fix"],
  ],
} as const satisfies Record<string, readonly (readonly [string, string])[]>;

export type HelpTopic = keyof typeof HELP_EXAMPLES;

export function withExamples<T>(y: Argv<T>, topic: HelpTopic): Argv<T> {
  return HELP_EXAMPLES[topic].reduce((argv, [command, description]) => argv.example(command, description), y);
}
