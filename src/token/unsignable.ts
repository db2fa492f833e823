/**
 * aws4 canonicalises header values with JavaScript's `\s`, which also matches U+FEFF; botocore
 * keeps U+FEFF. No EKS cluster name can contain it, so rather than sign a token the aws CLI would
 * sign differently, such a cluster id is refused. Its own module: mint checks it before loading
 * the signer.
 */
export function unsignableClusterId(clusterId: string): string | undefined {
  return clusterId.includes('\ufeff')
    ? 'the cluster name contains U+FEFF (a zero-width no-break space), which no EKS cluster name can contain'
    : undefined;
}
