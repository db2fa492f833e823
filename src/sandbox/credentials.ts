import { randomBytes } from 'node:crypto';
import { randomId } from './ids.js';
import type { ScenarioPrincipal } from './scenario/types.js';

/** Who a set of credentials belongs to, as STS would report it. */
export interface Caller {
  principal: ScenarioPrincipal;
  accessKeyId: string;
  /** Role sessions: the session name; undefined for IAM users. */
  sessionName?: string;
  /** `arn:…:sts::ACCT:assumed-role/NAME/SESSION` for sessions, the user ARN otherwise. */
  arn: string;
  /** `AROA…:SESSION` for sessions, `AIDA…` for users. */
  userId: string;
}

export interface StoredCredentials {
  caller: Caller;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  caller: Caller;
}

/** Every key the sandbox's AWS services accept: the scenario's user keys and the sessions it issued. */
export class CredentialStore {
  private readonly byKey = new Map<string, StoredCredentials>();

  constructor(principals: ScenarioPrincipal[]) {
    for (const principal of principals) {
      for (const key of principal.accessKeys) {
        this.byKey.set(key.accessKeyId, {
          caller: { principal, accessKeyId: key.accessKeyId, arn: principal.arn, userId: principal.uniqueId },
          secretAccessKey: key.secretAccessKey,
        });
      }
    }
  }

  lookup(accessKeyId: string): StoredCredentials | undefined {
    return this.byKey.get(accessKeyId);
  }

  /** Issues role session credentials, as AssumeRole does. */
  issueSession(role: ScenarioPrincipal, sessionName: string, seconds: number, now: Date): IssuedCredentials {
    const accessKeyId = randomId('ASIA', 16);
    const secretAccessKey = randomBytes(30).toString('base64');
    // Real session tokens are long opaque blobs; clients only pass them through.
    const sessionToken = `IQoJb3JpZ2luX2VjE${randomBytes(96).toString('base64')}`;
    const expiration = new Date(now.getTime() + seconds * 1000);
    const caller: Caller = {
      principal: role,
      accessKeyId,
      sessionName,
      arn: `arn:${role.partition}:sts::${role.accountId}:assumed-role/${role.name}/${sessionName}`,
      userId: `${role.uniqueId}:${sessionName}`,
    };
    this.byKey.set(accessKeyId, { caller, secretAccessKey, sessionToken, expiration });
    return { accessKeyId, secretAccessKey, sessionToken, expiration, caller };
  }
}
