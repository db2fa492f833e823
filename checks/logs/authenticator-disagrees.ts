import { defineCheck, type Hit } from '../../src/core/types.js';
import { changeAfter, compareAwsAuthLoad, compareWithLog } from '../../src/logs/compare.js';
import type { Evidence } from '../../src/model/evidence.js';

type Message =
  'granted' | 'denied' | 'username' | 'aws-auth-parse-error' | 'aws-auth-parsed' | 'aws-auth-reset' | 'aws-auth-absent';

const LOGS_QUERY_FIX = {
  kubectl: 'kubectl get configmap aws-auth -n kube-system -o yaml',
  eksctl: 'eksctl get iamidentitymapping --cluster {cluster} --region {region}',
  aws: 'aws logs filter-log-events --region {region} --log-group-name {logGroup} --log-stream-name-prefix authenticator- --start-time {sinceMs} --filter-pattern {arnPattern}',
  terraform: '# compare the aws-auth / access entry resources in state with what the cluster serves: terraform plan',
  risks: [
    'The log is what EKS decided at that moment: a change since then (see the timeline) can make both the log and the model right.',
  ],
};

export default defineCheck<Message>({
  meta: {
    id: 'logs/authenticator-disagrees',
    title: "The authenticator's own log contradicts eksauth's prediction",
    severity: 'warning',
    stage: 'authentication',
    needs: ['authenticatorLog'],
    needsSimulation: true,
    messages: {
      granted: {
        text: 'The authenticator granted {arn} at {time} as "{username}" [{groups}], but eksauth predicts 401 for it{afterChange}. Something eksauth did not read maps this principal.',
        remediation:
          'Compare what the cluster serves (aws-auth, access entries) with what eksauth read, and report the difference if nothing explains it.',
        fix: LOGS_QUERY_FIX,
      },
      denied: {
        text: 'The authenticator denied {arn} at {time} ("{error}"{explainedBy}), but eksauth predicts it is authenticated as "{predicted}"{afterChange}.',
        remediation:
          'Check whether the mapping eksauth read is the one the cluster serves now (a recent aws-auth write, a recreated principal), then run doctor again.',
        fix: LOGS_QUERY_FIX,
      },
      username: {
        text: 'The authenticator granted {arn} at {time} as "{username}", but eksauth predicts username "{predicted}"{afterChange}.',
        remediation:
          'Find the mapping that renders that username (another aws-auth row or access entry for the same principal) and keep one.',
        fix: LOGS_QUERY_FIX,
      },
      'aws-auth-parse-error': {
        text: 'The authenticator could not parse aws-auth when it last reloaded it ({time}: "{error}"), but eksauth reads every block and row of it without error.',
        remediation:
          'Compare the aws-auth text the cluster serves now with what eksauth read (a write since?); if they are the same, report the text: eksauth and the authenticator parse it differently.',
        fix: LOGS_QUERY_FIX,
      },
      'aws-auth-parsed': {
        text: 'The authenticator parsed aws-auth without error when it last reloaded it ({time}), but eksauth finds {problems} in it.',
        remediation:
          'Compare the aws-auth text the cluster serves now with what eksauth read; if they are the same, report the text: eksauth and the authenticator parse it differently.',
        fix: LOGS_QUERY_FIX,
      },
      'aws-auth-absent': {
        text: 'The authenticator read an aws-auth ConfigMap when it last reloaded it ({time}{loadError}), but eksauth finds none in kube-system: it was deleted after that line, or eksauth read another cluster.',
        remediation:
          'Check which cluster kubectl points at; if aws-auth is really gone, see aws-auth/missing-or-replaced before anything else (nodes mapped only there cannot join).',
        fix: LOGS_QUERY_FIX,
      },
      'aws-auth-reset': {
        text: 'The authenticator dropped every aws-auth mapping when the ConfigMap was deleted ({time}), but eksauth reads an aws-auth ConfigMap.',
        remediation: 'Run doctor again: the ConfigMap may have been re-created since that line.',
        fix: LOGS_QUERY_FIX,
      },
    },
  },
  run({ evidence, simulation }) {
    const log = evidence.authenticatorLog;
    const reload = reloadDisagreement(evidence);
    // An open prediction (a source unread) contradicts nothing.
    if (!log || !simulation?.determined) return reload;
    const agreement = compareWithLog(log.decisions, simulation.decision);
    if (agreement.kind !== 'disagree') return reload;
    const { decision } = agreement;
    const change = changeAfter(evidence, decision.time);
    const arn = decision.arn ?? simulation.principal.canonicalArn;
    return [
      {
        messageId: agreement.how,
        subject: { kind: 'principal', name: arn },
        affectsPrincipal: true,
        data: {
          arn,
          time: decision.time,
          username: decision.username ?? '',
          groups: (decision.groups ?? []).join(', '),
          error: decision.error ?? '',
          explainedBy: agreement.row?.checkId ? `, which eksauth's ${agreement.row.checkId} explains` : '',
          predicted: simulation.decision.username ?? '',
          afterChange: change
            ? `; ${change.what} at ${change.time} came after that decision, which may explain the difference`
            : '',
          cluster: evidence.cluster?.name ?? 'CLUSTER',
          region: evidence.cluster?.region ?? 'REGION',
          logGroup: log.logGroup,
          sinceMs: String(Date.parse(log.since)),
          arnPattern: `"${arn}"`,
        },
      },
      ...reload,
    ];
  },
});

/**
 * The authenticator's latest reload of aws-auth against eksauth's reading of the same text:
 * ParseMap failing where eksauth finds nothing wrong (or the reverse), or a reset on delete
 * where eksauth reads a ConfigMap. About the cluster, not the principal.
 */
function reloadDisagreement(evidence: Evidence): Hit<Message>[] {
  const compared = compareAwsAuthLoad(evidence);
  const log = evidence.authenticatorLog;
  // Stryker disable next-line ConditionalExpression: without a log there is no load to compare (compared is undefined); `!log` only narrows the type
  if (compared?.kind !== 'disagree' || !log) return [];
  const { load } = compared;
  // eksauth reads no ConfigMap where the authenticator loaded one: neither "reads it without error"
  // nor "finds problems in it" is true.
  const absent = evidence.awsAuth?.state === 'absent';
  const blocks =
    evidence.awsAuth?.state === 'present'
      ? Object.values(evidence.awsAuth.configMap.blocks).filter((b) => b.diagnostics.length > 0)
      : [];
  const messageId = absent
    ? ('aws-auth-absent' as const)
    : load.outcome === 'parse-error'
      ? ('aws-auth-parse-error' as const)
      : load.outcome === 'reset'
        ? ('aws-auth-reset' as const)
        : ('aws-auth-parsed' as const);
  return [
    {
      messageId,
      subject: { kind: 'aws-auth' as const, name: 'kube-system/aws-auth' },
      affectsPrincipal: false,
      data: {
        time: load.time,
        error: load.error ?? '',
        loadError: load.error !== undefined ? `: "${load.error}"` : '',
        problems: blocks
          .map((b) => `${b.diagnostics.length} problem${b.diagnostics.length === 1 ? '' : 's'} in ${b.key}`)
          .join(', '),
        arn: '',
        cluster: evidence.cluster?.name ?? 'CLUSTER',
        region: evidence.cluster?.region ?? 'REGION',
        logGroup: log.logGroup,
        sinceMs: String(Date.parse(log.since)),
        arnPattern: '"aws-auth"',
      },
    },
  ];
}
