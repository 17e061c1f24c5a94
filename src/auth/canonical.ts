/**
 * The SigV4 canonical request for the requests SDKs send most (no query string, a plain path,
 * sorted lower-case signed headers), built in one pass instead of through @smithy/signature-v4's
 * general machinery (an HttpRequest, a Set, sorting, URI escaping of every part): that was about a
 * tenth of a DescribeJob's CPU (issue 27). It returns undefined for anything else, and the caller
 * then asks smithy. test/http/sigv4-canonical.test.ts checks it against smithy's canonical request
 * on thousands of generated requests: wherever it answers, it answers exactly what smithy builds.
 */

/** Unreserved characters, '/', and the two escapes SDKs leave in paths ('%XX', '$'). */
const PLAIN_PATH = /^\/[A-Za-z0-9\-_.~/%$]*$/;
/** An empty, '.' or '..' segment: smithy normalises those away; left to it. */
const ODD_SEGMENT = /\/\/|\/\.\.?(\/|$)/;
const PLAIN_NAME = /^[a-z0-9][a-z0-9-]*$/;
/** Header values smithy would rewrite (line breaks, tabs, runs of spaces, a space at either end). */
const NEEDS_FOLDING = /[\r\n\t]| {2}|^ | $/;

/**
 * smithy's canonical path with uriEscapePath (every service but S3): the normalised path, escaped
 * twice. For a plain path that is the path with '%' and '$' escaped once more.
 */
function canonicalPath(path: string, uriEscapePath: boolean): string | undefined {
  if (!uriEscapePath) return path;
  if (!PLAIN_PATH.test(path) || ODD_SEGMENT.test(path)) return undefined;
  return path.indexOf('%') < 0 && path.indexOf('$') < 0 ? path : path.replace(/%/g, '%25').replace(/\$/g, '%24');
}

/**
 * The canonical request, or undefined when the request is not of the plain kind (the caller falls
 * back to smithy). `signedHeaders` is the SignedHeaders list as the client sent it, `value(name)`
 * the request's header (undefined if absent: the caller has checked that none is).
 */
export function plainCanonicalRequest(
  method: string,
  path: string,
  rawQuery: string,
  signedHeaders: readonly string[],
  value: (name: string) => unknown,
  payloadHash: string,
  uriEscapePath: boolean,
): string | undefined {
  if (rawQuery !== '') return undefined;
  const p = canonicalPath(path, uriEscapePath);
  if (p === undefined) return undefined;
  let headers = '';
  let previous = '';
  for (const name of signedHeaders) {
    // Strictly ascending plain names: then smithy's sort, lower-casing and de-duplication change nothing.
    if (name <= previous || !PLAIN_NAME.test(name)) return undefined;
    previous = name;
    const v = value(name);
    if (typeof v !== 'string' || NEEDS_FOLDING.test(v)) return undefined;
    headers += `${name}:${v}\n`;
  }
  if (previous === '') return undefined;
  return `${method}\n${p}\n\n${headers}\n${signedHeaders.join(';')}\n${payloadHash}`;
}
