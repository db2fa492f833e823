import { defineCheck } from '../../src/core/types.js';
import { changeAfter, compareWithLog } from '../../src/logs/compare.js';

type Message = 'granted' | 'denied' | 'username';

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
    },
  },
  run({ evidence, simulation }) {
    const log = evidence.authenticatorLog;
    // An open prediction (a source unread) contradicts nothing.
    if (!log || !simulation?.determined) return [];
    const agreement = compareWithLog(log.decisions, simulation.decision);
    if (agreement.kind !== 'disagree') return [];
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
    ];
  },
});
