import { XMLParser } from 'fast-xml-parser';
import type { LgspDocument, ListedDossier } from './lgsp-dossier-world';
import { DOC_FEE_FIELDS, DOSSIER_FIELDS, LGSP_DOSSIER_NS, TRACE_FIELDS } from './lgsp-dossier.wsdl';
import { lgspDate } from './lgsp-dossier-world';

const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A simple value as an element; objects and absent values are left out. */
function element(name: string, value: unknown, indent: string): string {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    return '';
  }
  return `${indent}<${name}>${escapeXml(String(value))}</${name}>\n`;
}

function record(fields: readonly [string, string][], data: LgspDocument, indent: string): string {
  let out = '';
  for (const [name, type] of fields) {
    const value = data[name];
    if (type === 'list:DocFee') {
      if (Array.isArray(value)) {
        const fees = (value as LgspDocument[])
          .map(
            (fee) =>
              `${indent}  <DocFee>\n${record(DOC_FEE_FIELDS, fee, `${indent}    `)}${indent}  </DocFee>\n`,
          )
          .join('');
        out += `${indent}<${name}>\n${fees}${indent}</${name}>\n`;
      }
      continue;
    }
    out += element(name, value, indent);
  }
  return out;
}

export function envelope(body: string): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n` +
    `<soap:Envelope xmlns:soap="${SOAP_ENV}">\n  <soap:Body>\n${body}  </soap:Body>\n</soap:Envelope>\n`
  );
}

export function listResponse(
  items: ListedDossier[],
  page: { total: number; page: number; pageSize: number; hasMore: boolean },
): string {
  const dossiers = items
    .map(
      (d) =>
        `          <Dossier>\n${record(DOSSIER_FIELDS, { ...d.document, ModifiedTime: lgspDate(d.modifiedMs) }, '            ')}          </Dossier>\n`,
    )
    .join('');
  return envelope(
    `    <ListChangedDossiersResponse xmlns="${LGSP_DOSSIER_NS}">\n      <ListChangedDossiersResult>\n` +
      `        <Total>${page.total}</Total>\n        <Page>${page.page}</Page>\n        <PageSize>${page.pageSize}</PageSize>\n` +
      `        <HasMore>${page.hasMore}</HasMore>\n        <Dossiers>\n${dossiers}        </Dossiers>\n` +
      `      </ListChangedDossiersResult>\n    </ListChangedDossiersResponse>\n`,
  );
}

export function historyResponse(code: string, traces: LgspDocument[]): string {
  const rows = traces
    .map((t) => `          <Trace>\n${record(TRACE_FIELDS, t, '            ')}          </Trace>\n`)
    .join('');
  return envelope(
    `    <GetDossierHistoryResponse xmlns="${LGSP_DOSSIER_NS}">\n      <GetDossierHistoryResult>\n` +
      `        <DocCode>${escapeXml(code)}</DocCode>\n        <Traces>\n${rows}        </Traces>\n` +
      `      </GetDossierHistoryResult>\n    </GetDossierHistoryResponse>\n`,
  );
}

/** A SOAP 1.1 Fault (sent with HTTP 500, SOAP 1.1 §6.2). */
export function faultResponse(code: 'soap:Server' | 'soap:Client', reason: string): string {
  return envelope(
    `    <soap:Fault>\n      <faultcode>${code}</faultcode>\n      <faultstring>${escapeXml(reason)}</faultstring>\n    </soap:Fault>\n`,
  );
}

/**
 * An answer whose DTD declares an external entity and uses it where the dossier code goes. A parser that
 * resolves it would put the file's content into the dossier code.
 */
export function xxeResponse(operation: string): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n` +
    envelope(
      `    <${operation}Response xmlns="${LGSP_DOSSIER_NS}"><${operation}Result><Total>1</Total><Page>1</Page>` +
        `<PageSize>1</PageSize><HasMore>false</HasMore><DocCode>&e;</DocCode><Dossiers><Dossier><DocCode>&e;</DocCode>` +
        `</Dossier></Dossiers></${operation}Result></${operation}Response>\n`,
    ).replace(/^<\?xml[^>]*>\n/, '')
  );
}

/** Billion laughs: ten levels of ten-fold internal entities, 10^9 "lol"s if expanded. */
export function bombResponse(operation: string): string {
  const levels = ['<!ENTITY lol "lol">'];
  for (let i = 1; i <= 9; i++) {
    const prev = i === 1 ? 'lol' : `lol${i - 1}`;
    levels.push(`<!ENTITY lol${i} "${`&${prev};`.repeat(10)}">`);
  }
  return (
    `<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE lolz [\n  ${levels.join('\n  ')}\n]>\n` +
    envelope(
      `    <${operation}Response xmlns="${LGSP_DOSSIER_NS}"><${operation}Result><Total>1</Total>` +
        `<DocCode>&lol9;</DocCode></${operation}Result></${operation}Response>\n`,
    ).replace(/^<\?xml[^>]*>\n/, '')
  );
}

/** A well-begun answer cut off mid-element, as a proxy timing out mid-stream leaves it. */
export function truncated(xml: string): string {
  return xml.slice(0, Math.max(40, Math.floor(xml.length / 2)));
}

export type SoapRequest =
  { ok: true; operation: string; args: Record<string, string> } | { ok: false; reason: string };

const requestParser = new XMLParser({
  processEntities: false,
  htmlEntities: false,
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
});

/** The operation (first element of the Body) and its simple arguments. DTDs are refused here too. */
export function readSoapRequest(text: string): SoapRequest {
  if (/<!\s*(DOCTYPE|ENTITY)/i.test(text)) {
    return { ok: false, reason: 'a SOAP message must not contain a DTD' };
  }
  let parsed: unknown;
  try {
    parsed = requestParser.parse(text, true);
  } catch (error) {
    return { ok: false, reason: `malformed XML: ${(error as Error).message}` };
  }
  const env = (parsed as Record<string, unknown> | null)?.['Envelope'];
  const body = typeof env === 'object' && env !== null ? (env as Record<string, unknown>)['Body'] : undefined;
  if (typeof body !== 'object' || body === null) {
    return { ok: false, reason: 'no soap:Body' };
  }
  const [operation, rawArgs] = Object.entries(body as Record<string, unknown>)[0] ?? [];
  if (operation === undefined) {
    return { ok: false, reason: 'empty soap:Body' };
  }
  const args: Record<string, string> = {};
  if (typeof rawArgs === 'object' && rawArgs !== null) {
    for (const [k, v] of Object.entries(rawArgs as Record<string, unknown>)) {
      if (typeof v === 'string' || typeof v === 'number') {
        args[k] = String(v);
      }
    }
  }
  return { ok: true, operation, args };
}
