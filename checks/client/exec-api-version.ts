import { defineCheck } from '../../src/core/types.js';

import { execError, liveClusterName, liveRegion, profileFlag, profileOf } from '../identity/_live-shared.js';

type Message = 'removedVersion' | 'unknownVersion' | 'pluginOutdated';

export const V1ALPHA1 = 'client.authentication.k8s.io/v1alpha1';
const SUPPORTED = ['client.authentication.k8s.io/v1beta1', 'client.authentication.k8s.io/v1'];

const FIX = {
  kubectl: `cp {path} {path}.bak && sed -i 's#${V1ALPHA1}#client.authentication.k8s.io/v1beta1#' {path}`,
  eksctl: 'eksctl utils write-kubeconfig --cluster {cluster} --region {region} {profileFlag}',
  aws: '# a current AWS CLI writes and prints v1beta1:\naws --version\naws eks update-kubeconfig --name {cluster} --region {region} {profileFlag}',
  terraform:
    '# provider "kubernetes" / "helm": the exec block\'s api_version\nexec {\n  api_version = "client.authentication.k8s.io/v1beta1"\n  command     = "aws"\n  args        = ["eks", "get-token", "--cluster-name", "{cluster}", "--region", "{region}"]\n}',
  risks: [
    'The sed edit changes every context of that file that uses v1alpha1; an old plugin (AWS CLI v1 before mid-2022, old aws-iam-authenticator) still prints v1alpha1 and then fails the other way: upgrade it first.',
    "`update-kubeconfig` rewrites only this cluster's context; keep the .bak copy until kubectl works.",
  ],
};

export default defineCheck<Message>({
  meta: {
    id: 'client/exec-api-version',
    title: 'kubeconfig asks for a removed exec plugin API version',
    severity: 'error',
    stage: 'client',
    ref: 'C13',
    needs: ['kubeconfig'],
    messages: {
      removedVersion: {
        text: 'Context {context} in {path} runs its exec plugin with apiVersion {apiVersion}, which kubectl 1.24 and later no longer accept: kubectl fails with `exec plugin: invalid apiVersion "{apiVersion}"` before it sends a request.',
        remediation:
          'Regenerate the kubeconfig entry with a current AWS CLI (it writes client.authentication.k8s.io/v1beta1).',
        fix: FIX,
      },
      unknownVersion: {
        text: 'Context {context} in {path} runs its exec plugin with apiVersion {apiVersion}, which is not one kubectl knows (client.authentication.k8s.io/v1beta1 or v1).',
        remediation: 'Set the exec apiVersion to client.authentication.k8s.io/v1beta1 (regenerate the entry).',
        fix: FIX,
      },
      pluginOutdated: {
        text: 'The exec plugin of context {context} ({command}) answers in an older API version than kubeconfig asks for: "{error}". The plugin is too old.',
        remediation: 'Upgrade {command} (AWS CLI v2, or a current v1), then regenerate the kubeconfig entry.',
        fix: FIX,
      },
    },
  },
  run({ evidence }) {
    const kubeconfig = evidence.kubeconfig;
    const exec = kubeconfig?.exec;
    if (!kubeconfig || !exec) return [];
    const data = {
      context: kubeconfig.context,
      path: kubeconfig.path,
      apiVersion: exec.apiVersion,
      command: exec.command,
      cluster: liveClusterName(evidence),
      region: liveRegion(evidence),
      profileFlag: profileFlag(profileOf(evidence)),
    };
    const subject = { kind: 'kubeconfig' as const, name: kubeconfig.context };
    if (exec.apiVersion === V1ALPHA1) return [{ messageId: 'removedVersion', subject, affectsPrincipal: true, data }];
    if (!SUPPORTED.includes(exec.apiVersion))
      return [{ messageId: 'unknownVersion', subject, affectsPrincipal: true, data }];
    const error = execError(evidence);
    if (error?.match(/plugin returned version|apiVersion.*v1alpha1|v1alpha1.*apiVersion/i))
      return [{ messageId: 'pluginOutdated', subject, affectsPrincipal: true, data: { ...data, error } }];
    return [];
  },
});
