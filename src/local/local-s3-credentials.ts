/**
 * The only credentials s3rver accepts. Apart from the local S3 so that the CLI's help does not
 * load the S3 client.
 */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
