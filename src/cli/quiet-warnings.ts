/**
 * The AWS SDK warns on every run that its 2027 releases will need Node 22. eksauth supports
 * Node >= 20.19 on purpose (engines, README); repeating that on an on-call engineer's terminal
 * (kubectl shows an exec plugin's stderr on every call) is noise, so that one warning is dropped.
 * Every other warning still prints.
 *
 * Both entry points (the full CLI and the direct `token` path) call this before any SDK module is
 * loaded, lazily or not: the SDK's own switch covers every client it creates, and the filter
 * covers an SDK release that renames the switch.
 */
export function dropSdkNodeVersionWarning(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const emit = process.emitWarning.bind(process);
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const name =
      typeof warning === 'string'
        ? typeof rest[0] === 'string'
          ? rest[0]
          : (rest[0] as { type?: string } | undefined)?.type
        : warning.name;
    if (name === 'NodeVersionSupportWarning' || String(warning).includes('NodeVersionSupportWarning')) return;
    (emit as (...args: unknown[]) => void)(warning, ...rest);
  }) as typeof process.emitWarning;
}
