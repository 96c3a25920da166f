/**
 * The default of `--max-download-mb` (an s3:// lake's query refuses more). Apart from the local
 * lake so that the CLI's help does not load the S3 client.
 */
export const DEFAULT_MAX_DOWNLOAD_MB = 1024;
