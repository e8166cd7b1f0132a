/** When S3 stops honouring a presigned URL: its signing time (`X-Amz-Date`), plus its life (`X-Amz-Expires`). */
export function expiresAt(url: URL): number {
  const signedAt = url.searchParams
    .get("X-Amz-Date")!
    .replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, "$1-$2-$3T$4:$5:$6Z");
  return Date.parse(signedAt) + Number(url.searchParams.get("X-Amz-Expires")) * 1000;
}
