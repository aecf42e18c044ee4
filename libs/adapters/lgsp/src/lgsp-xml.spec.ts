import { describe, expect, it } from 'vitest';
import { readRestBody } from './lgsp-rest.adapter';
import { decodeXmlText, parseSafeXml } from './lgsp-xml';
import { LgspError } from './lgsp.errors';

const XXE =
  '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<Result><DocCode>&e;</DocCode></Result>';

function billionLaughs(): string {
  const levels = ['<!ENTITY lol "lol">'];
  for (let i = 1; i <= 9; i++) {
    levels.push(`<!ENTITY lol${i} "${`&${i === 1 ? 'lol' : `lol${i - 1}`};`.repeat(10)}">`);
  }
  return `<?xml version="1.0"?>\n<!DOCTYPE lolz [${levels.join('')}]>\n<Result><DocCode>&lol9;</DocCode></Result>`;
}

function failure(run: () => unknown): LgspError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(LgspError);
    return error as LgspError;
  }
  throw new Error('expected an LgspError');
}

describe('parseSafeXml', () => {
  it('refuses an external-entity (XXE) payload with XML_UNSAFE, reading no file', () => {
    const error = failure(() => parseSafeXml(XXE, 'POST /x'));
    expect(error).toMatchObject({ code: 'XML_UNSAFE', retryable: false, source: 'lgsp' });
    expect(error.message).toMatch(/POST \/x: answer refused, it declares a DTD \(<!DOCTYPE/);
    expect(error.message).not.toMatch(/root:|\/bin\/|nologin/);
  });

  it('refuses a billion-laughs payload at once, expanding nothing', () => {
    const started = performance.now();
    const error = failure(() => parseSafeXml(billionLaughs(), 'GET /y'));
    expect(performance.now() - started).toBeLessThan(100);
    expect(error.code).toBe('XML_UNSAFE');
    expect(error.message).not.toContain('lollol');
  });

  it('refuses a DTD however it is spelled or hidden (lower case, after a comment, inside CDATA)', () => {
    for (const text of [
      '<!doctype x [<!entity e "x">]><a>&e;</a>',
      '<!-- hi --><!DOCTYPE a SYSTEM "http://evil.example/a.dtd"><a/>',
      '<a><![CDATA[<?xml version="1.0"?><!DOCTYPE b [<!ENTITY e SYSTEM "file:///etc/passwd">]><b>&e;</b>]]></a>',
      '<a><!ENTITY e "x"></a>',
    ]) {
      expect(failure(() => parseSafeXml(text, 'x')).code).toBe('XML_UNSAFE');
    }
  });

  it('reads clean XML, decoding only predefined entities and character references, once', () => {
    const parsed = parseSafeXml(
      '<?xml version="1.0"?><s:Envelope xmlns:s="urn:x"><s:Body><R><Code>000123</Code>' +
        '<Name>Sở Tư pháp &amp; Tòa &#225;n &#x1EA1;</Name><Raw>&amp;lt;b&amp;gt;</Raw><Unknown>&nbsp;</Unknown></R></s:Body></s:Envelope>',
      'x',
    );
    expect(parsed).toMatchObject({
      Envelope: {
        Body: { R: { Code: '000123', Name: 'Sở Tư pháp & Tòa án ạ', Raw: '&lt;b&gt;', Unknown: '&nbsp;' } },
      },
    });
  });

  it('says BAD_RESPONSE, with the position, for malformed XML', () => {
    const error = failure(() => parseSafeXml('<a><b>text</a>', 'x'));
    expect(error).toMatchObject({ code: 'BAD_RESPONSE', retryable: true });
    expect(error.message).toMatch(/malformed XML .* line 1/);
  });
});

describe('decodeXmlText', () => {
  it('leaves unknown and out-of-range references as written', () => {
    expect(decodeXmlText('&e; &#0; &#x110000; &lt;')).toBe('&e; &#0; &#x110000; <');
  });
});

describe('readRestBody', () => {
  it('parses by media type and sniffs an untyped body', () => {
    expect(readRestBody('{"Status":200}', 'application/json', 'x')).toEqual({ Status: 200 });
    expect(readRestBody('\ufeff[1]', '', 'x')).toEqual([1]);
    expect(readRestBody('<R><S>1</S></R>', 'application/xml', 'x')).toEqual({ R: { S: '1' } });
    expect(readRestBody('<R/>', '', 'x')).toEqual({ R: '' });
    expect(readRestBody('OK', 'text/plain', 'x')).toBe('OK');
    expect(readRestBody('  ', 'application/json', 'x')).toBeNull();
  });

  it('sends an XML answer through the same guard (XXE refused) and says BAD_RESPONSE for broken JSON', () => {
    expect(failure(() => readRestBody(XXE, 'text/xml', 'POST /Document/SyncDocument')).code).toBe(
      'XML_UNSAFE',
    );
    expect(failure(() => readRestBody('{"Status":2', 'application/json', 'x')).code).toBe('BAD_RESPONSE');
  });
});
