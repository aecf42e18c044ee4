import type { AxiosResponse } from 'axios';
import { describe, expect, it } from 'vitest';
import { guardSoapResponse, toSoapError } from './lgsp-soap.adapter';
import { LgspError, soapFaultIsRetryable } from './lgsp.errors';

function response(status: number, data: string): AxiosResponse {
  return {
    status,
    data,
    statusText: '',
    headers: {},
    config: { method: 'post', url: 'http://bus.example/soap/DossierService?x=secret' },
  } as unknown as AxiosResponse;
}

function thrown(run: () => unknown): LgspError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(LgspError);
    return error as LgspError;
  }
  throw new Error('expected an LgspError');
}

const ENVELOPE =
  '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><R/></s:Body></s:Envelope>';
const FAULT =
  '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>' +
  '<faultcode>s:Server</faultcode><faultstring>busy</faultstring></s:Fault></s:Body></s:Envelope>';

/** The shape `soap` rejects with for a Fault: an Error whose `root` is the parsed envelope. */
function soapFaultError(fault: Record<string, unknown>): Error {
  return Object.assign(new Error('fault'), { root: { Envelope: { Body: { Fault: fault } } } });
}

describe('guardSoapResponse', () => {
  it('lets a well-formed answer and a SOAP Fault with HTTP 500 through to the SOAP client', () => {
    expect(guardSoapResponse(response(200, ENVELOPE)).status).toBe(200);
    expect(guardSoapResponse(response(500, FAULT)).status).toBe(500);
  });

  it('refuses a DTD before anything parses it, whatever the status, keeping the answer for the operator', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${ENVELOPE}`;
    const unsafe = thrown(() => guardSoapResponse(response(200, xxe)));
    expect(unsafe).toMatchObject({ code: 'XML_UNSAFE', endpoint: 'POST /soap/DossierService' });
    expect(unsafe.payload?.toString('utf8')).toBe(xxe);
    expect(thrown(() => guardSoapResponse(response(500, xxe))).code).toBe('XML_UNSAFE');
  });

  it('classifies statuses without a Fault, names the path but not the query', () => {
    const auth = thrown(() => guardSoapResponse(response(401, FAULT)));
    expect(auth).toMatchObject({ code: 'AUTH_FAILED', httpStatus: 401 });
    expect(auth.message).toContain('POST /soap/DossierService');
    expect(auth.message).not.toContain('secret');
    expect(thrown(() => guardSoapResponse(response(502, '<html>Bad gateway</html>')))).toMatchObject({
      code: 'UNAVAILABLE',
      retryable: true,
    });
    expect(thrown(() => guardSoapResponse(response(404, '')))).toMatchObject({ code: 'REJECTED' });
    expect(thrown(() => guardSoapResponse(response(302, '')))).toMatchObject({
      code: 'BAD_RESPONSE',
      retryable: false,
    });
  });

  it('says BAD_RESPONSE for an empty or truncated answer', () => {
    expect(thrown(() => guardSoapResponse(response(200, ''))).code).toBe('BAD_RESPONSE');
    expect(thrown(() => guardSoapResponse(response(200, ENVELOPE.slice(0, 60)))).message).toMatch(
      /malformed XML/,
    );
  });
});

describe('toSoapError', () => {
  it('maps a SOAP 1.1 Server Fault to a retryable SOAP_FAULT and a Client Fault to a final one', () => {
    const server = toSoapError(
      soapFaultError({ faultcode: 'soap:Server', faultstring: 'Hệ thống đang bận' }),
      'List',
    );
    expect(server).toMatchObject({ code: 'SOAP_FAULT', faultCode: 'soap:Server', retryable: true });
    expect(server.message).toBe('List: SOAP Fault soap:Server: Hệ thống đang bận');
    const client = toSoapError(
      soapFaultError({ faultcode: { $value: 'soap:Client' }, faultstring: { $value: 'no such dossier' } }),
      'History',
    );
    expect(client).toMatchObject({ code: 'SOAP_FAULT', faultCode: 'soap:Client', retryable: false });
  });

  it('reads a SOAP 1.2 Fault (Code/Value, Reason/Text)', () => {
    const error = toSoapError(
      soapFaultError({ Code: { Value: 'env:Sender' }, Reason: { Text: { $value: 'bad Since' } } }),
      'List',
    );
    expect(error).toMatchObject({ code: 'SOAP_FAULT', faultCode: 'env:Sender', retryable: false });
    expect(error.message).toContain('bad Since');
  });

  it('turns the parser’s bare "Invalid XML" object and other client errors into BAD_RESPONSE', () => {
    const invalid = toSoapError(
      { Fault: { faultcode: 500, faultstring: 'Invalid XML', detail: 'Unclosed root tag' } },
      'List',
    );
    expect(invalid).toMatchObject({ code: 'BAD_RESPONSE' });
    expect(invalid.message).toContain('Unclosed root tag');
    expect(toSoapError(new Error('Unexpected root element of WSDL or include'), 'WSDL').code).toBe(
      'BAD_RESPONSE',
    );
  });

  it('passes LgspErrors (from the guard, via the SOAP client) through untouched', () => {
    const original = new LgspError('XML_UNSAFE', 'nope');
    expect(toSoapError(original, 'List')).toBe(original);
  });
});

describe('soapFaultIsRetryable', () => {
  it('blames the service for Server/Receiver and unknown codes, the request for Client/Sender and the rest', () => {
    expect(['soap:Server', 'Server.Busy', 'env:Receiver', 'a:CustomCode'].map(soapFaultIsRetryable)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(
      ['soap:Client', 'Client.Auth', 'env:Sender', 'soap:VersionMismatch', 'soap:MustUnderstand'].map(
        soapFaultIsRetryable,
      ),
    ).toEqual([false, false, false, false, false]);
  });
});
