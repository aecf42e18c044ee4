import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { LgspError } from './lgsp.errors';

/**
 * `<!DOCTYPE` opens the only door to entity tricks (XXE via `SYSTEM`/`PUBLIC` identifiers, billion-laughs via
 * nested internal entities): a document without a DTD can declare no entity. SOAP forbids DTDs outright
 * (SOAP 1.1 §3 "A SOAP message MUST NOT contain a Document Type Declaration"; SOAP 1.2 Part 1 §5), and no
 * LGSP answer needs one, so any declaration anywhere in the text (CDATA included, since `soap` re-parses XML
 * found in CDATA) is refused before a parser sees it. Case-insensitive: `<!doctype` is not valid XML but some
 * lenient parsers accept it.
 */
const DTD_MARKUP = /<!\s*(DOCTYPE|ENTITY)\b/i;

/** Throws XML_UNSAFE when the text carries a DTD or an entity declaration. */
export function assertSafeXml(text: string, what: string): void {
  const match = DTD_MARKUP.exec(text);
  if (match) {
    throw new LgspError(
      'XML_UNSAFE',
      `${what}: answer refused, it declares a DTD (<!${match[1]?.toUpperCase()} at offset ${match.index}); ` +
        'entity declarations are never processed (XXE / entity-expansion protection)',
    );
  }
}

/** Throws BAD_RESPONSE when the text is not well-formed XML. */
export function assertWellFormedXml(text: string, what: string): void {
  const result = XMLValidator.validate(text);
  if (result !== true) {
    const { msg, line, col } = result.err;
    const reason = msg.replace(/\s+/g, ' ').slice(0, 160);
    throw new LgspError('BAD_RESPONSE', `${what}: malformed XML (${reason} at line ${line}, column ${col})`);
  }
}

/**
 * fast-xml-parser with entity processing off: the parser expands nothing (so no expansion can blow up, and
 * no declared entity could be resolved even if a DTD slipped through); each text value is then decoded once
 * by `decodeXmlText`, which knows only the five predefined entities and character references. Tag values
 * are not coerced (a dossier code like `000123` stays a string); namespace prefixes are dropped so
 * `soap:Body` and `s:Body` read the same.
 */
const parser = new XMLParser({
  processEntities: false,
  htmlEntities: false,
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  tagValueProcessor: (_name: string, value: string) => decodeXmlText(value),
});

/**
 * Parses raw XML from the bus: DTDs are refused (XML_UNSAFE), malformed text is BAD_RESPONSE, and only the
 * predefined entities and character references are decoded, once.
 */
export function parseSafeXml(text: string, what: string): unknown {
  assertSafeXml(text, what);
  assertWellFormedXml(text, what);
  try {
    return parser.parse(text) as unknown;
  } catch (error) {
    throw new LgspError('BAD_RESPONSE', `${what}: unreadable XML (${(error as Error).message})`);
  }
}

const PREDEFINED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

/**
 * Decodes the five predefined entities and numeric character references of one text value, once (no
 * recursion, so `&amp;lt;` is `&lt;`). Anything else stays as written.
 */
export function decodeXmlText(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return PREDEFINED[ref] ?? whole;
  });
}
