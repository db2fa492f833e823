import { defineCheck } from '../../src/core/types.js';

import { liveClusterName, liveRegion, profileFlag, profileOf } from '../identity/_live-shared.js';

type Message = 'notFound';

/** The file name of a command given with or without a directory. */
const baseName = (command: string): string => command.replace(/^.*\//, '');

/** How to get the usual exec commands back. */
function installHint(command: string): string {
  const base = baseName(command);
  if (base === 'aws')
    return 'install the AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html)';
  if (base === 'aws-iam-authenticator')
    return 'install aws-iam-authenticator, or regenerate the entry to use `aws eks get-token` instead';
  if (base === 'eksauth') return 'install eksauth (`npm install -g eksauth`)';
  return `install ${base}, or write its absolute path into the exec entry`;
}

export default defineCheck<Message>({
  meta: {
    id: 'client/exec-not-found',
    title: 'The exec plugin command of kubeconfig is not on PATH',
    severity: 'error',
    stage: 'client',
    ref: 'C14',
    needs: ['kubeconfig'],
    messages: {
      notFound: {
        text: 'Context {context} in {path} runs `{command}` to get a token, and no such executable is on PATH: kubectl fails with `exec: "{command}": executable file not found in $PATH` before it sends a request.',
        remediation: 'Make {command} runnable where kubectl runs: {installHint}.',
        fix: {
          kubectl: `command -v {command}   # prints nothing while it is not on PATH\n# or use an absolute path in the exec entry:\ncp {path} {path}.bak && sed -i {absolutePathEdit} {path}`,
          eksctl:
            'eksctl utils write-kubeconfig --cluster {cluster} --region {region} {profileFlag}   # writes an exec entry for a command that exists here',
          aws: '# once the AWS CLI is installed:\naws --version\naws eks update-kubeconfig --name {cluster} --region {region} {profileFlag}',
          terraform:
            '# provider "kubernetes": the runner image must contain the command; or give its absolute path\nexec {\n  api_version = "client.authentication.k8s.io/v1beta1"\n  command     = "/usr/local/bin/aws"\n  args        = ["eks", "get-token", "--cluster-name", "{cluster}", "--region", "{region}"]\n}',
          risks: [
            '`sudo` and IDEs start kubectl with a different PATH than your shell: an absolute path survives that, a PATH tweak in ~/.bashrc does not.',
            'CI images often lack the AWS CLI: add it to the image rather than downloading it on every run.',
          ],
        },
      },
    },
  },
  run({ evidence }) {
    const kubeconfig = evidence.kubeconfig;
    const exec = kubeconfig?.exec;
    if (!kubeconfig || !exec || exec.commandFound) return [];
    return [
      {
        messageId: 'notFound',
        subject: { kind: 'kubeconfig', name: kubeconfig.context },
        affectsPrincipal: true,
        data: {
          context: kubeconfig.context,
          path: kubeconfig.path,
          command: exec.command,
          // One sed argument, filled as a value (never spliced into template quotes).
          absolutePathEdit: `s#command: ${exec.command}$#command: /usr/local/bin/${baseName(exec.command)}#`,
          installHint: installHint(exec.command),
          cluster: liveClusterName(evidence),
          region: liveRegion(evidence),
          profileFlag: profileFlag(profileOf(evidence)),
        },
      },
    ];
  },
});
