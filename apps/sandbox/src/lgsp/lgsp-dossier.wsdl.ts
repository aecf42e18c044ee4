/**
 * The WSDL of the simulated bus's dossier service: SOAP 1.1, document/literal, WCF-style `<Op>Result`
 * wrappers. No public LGSP publishes such a service (DOMAIN.md §11), so this is a plausible one built from
 * the LGSP REST messages: a dossier carries the `Document/SyncDocument` fields plus `ModifiedTime`, a history
 * row the `Document/UpdateDocumentTraces` fields. Dates are `xsd:string` on purpose: they are sent exactly as
 * the LGSP writes them (`yyyy-MM-dd'T'HH:mm:ss.SSS'Z'` with a literal Z, `0000-00-00T…` for "no date"),
 * which `xsd:dateTime` could not carry and a client would silently convert.
 */
export const LGSP_DOSSIER_NS = 'urn:isohub:sandbox:lgsp:dossier:v1';

/** Dossier fields in schema order, with their XSD type (`list:` = an ArrayOf wrapper). */
export const DOSSIER_FIELDS: readonly [string, string][] = [
  ['ModifiedTime', 'xsd:string'],
  ['DocTypeCode', 'xsd:string'],
  ['DocTypeName', 'xsd:string'],
  ['DocCode', 'xsd:string'],
  ['CitizenName', 'xsd:string'],
  ['CitizenInfo', 'xsd:string'],
  ['ApplicantsId', 'xsd:string'],
  ['ApplicantsType', 'xsd:int'],
  ['Address', 'xsd:string'],
  ['Email', 'xsd:string'],
  ['Phone', 'xsd:string'],
  ['Compendium', 'xsd:string'],
  ['DateReceived', 'xsd:string'],
  ['DateAppointed', 'xsd:string'],
  ['IsSuccess', 'xsd:boolean'],
  ['SuccessDate', 'xsd:string'],
  ['IsReturned', 'xsd:boolean'],
  ['ReturnedDate', 'xsd:string'],
  ['ReturnedType', 'xsd:int'],
  ['FinishedDate', 'xsd:string'],
  ['Status', 'xsd:int'],
  ['ProcessingOrganName', 'xsd:string'],
  ['HasSupplementary', 'xsd:boolean'],
  ['RequireSupplementaryDate', 'xsd:string'],
  ['DocFees', 'list:DocFee'],
  ['OrganInchargeIdLevel1', 'xsd:string'],
  ['OrganInchargeName', 'xsd:string'],
];

export const DOC_FEE_FIELDS: readonly [string, string][] = [
  ['FeeName', 'xsd:string'],
  ['FeeType', 'xsd:int'],
  ['Price', 'xsd:decimal'],
];

export const TRACE_FIELDS: readonly [string, string][] = [
  ['DocumentId', 'xsd:long'],
  ['DocCode', 'xsd:string'],
  ['UserName', 'xsd:string'],
  ['UserPosition', 'xsd:string'],
  ['DateCreated', 'xsd:string'],
  ['Comment', 'xsd:string'],
  ['Status', 'xsd:int'],
  ['OrganizationInchargeIdLevel1', 'xsd:string'],
  ['OrganizationInchargeName', 'xsd:string'],
];

function sequence(fields: readonly [string, string][]): string {
  return fields
    .map(([name, type]) => {
      const xsdType = type.startsWith('list:') ? `tns:ArrayOf${type.slice(5)}` : type;
      return `          <xsd:element name="${name}" type="${xsdType}" minOccurs="0"/>`;
    })
    .join('\n');
}

function arrayOf(item: string): string {
  return `      <xsd:complexType name="ArrayOf${item}">
        <xsd:sequence>
          <xsd:element name="${item}" type="tns:${item}" minOccurs="0" maxOccurs="unbounded"/>
        </xsd:sequence>
      </xsd:complexType>`;
}

function operation(name: string): string {
  return `  <wsdl:operation name="${name}">
      <soap:operation soapAction="${LGSP_DOSSIER_NS}/${name}" style="document"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input>
      <wsdl:output><soap:body use="literal"/></wsdl:output>
    </wsdl:operation>`;
}

/** The WSDL, with the service address the client reached the sandbox at. */
export function dossierServiceWsdl(address: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions name="DossierService" targetNamespace="${LGSP_DOSSIER_NS}"
    xmlns:tns="${LGSP_DOSSIER_NS}"
    xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"
    xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <wsdl:types>
    <xsd:schema targetNamespace="${LGSP_DOSSIER_NS}" elementFormDefault="qualified">
      <xsd:element name="ListChangedDossiers">
        <xsd:complexType>
          <xsd:sequence>
            <xsd:element name="Since" type="xsd:string"/>
            <xsd:element name="Page" type="xsd:int"/>
            <xsd:element name="PageSize" type="xsd:int"/>
          </xsd:sequence>
        </xsd:complexType>
      </xsd:element>
      <xsd:element name="ListChangedDossiersResponse">
        <xsd:complexType>
          <xsd:sequence>
            <xsd:element name="ListChangedDossiersResult" type="tns:DossierPage"/>
          </xsd:sequence>
        </xsd:complexType>
      </xsd:element>
      <xsd:element name="GetDossierHistory">
        <xsd:complexType>
          <xsd:sequence>
            <xsd:element name="DocCode" type="xsd:string"/>
          </xsd:sequence>
        </xsd:complexType>
      </xsd:element>
      <xsd:element name="GetDossierHistoryResponse">
        <xsd:complexType>
          <xsd:sequence>
            <xsd:element name="GetDossierHistoryResult" type="tns:DossierHistory"/>
          </xsd:sequence>
        </xsd:complexType>
      </xsd:element>
      <xsd:complexType name="DossierPage">
        <xsd:sequence>
          <xsd:element name="Total" type="xsd:int"/>
          <xsd:element name="Page" type="xsd:int"/>
          <xsd:element name="PageSize" type="xsd:int"/>
          <xsd:element name="HasMore" type="xsd:boolean"/>
          <xsd:element name="Dossiers" type="tns:ArrayOfDossier"/>
        </xsd:sequence>
      </xsd:complexType>
      <xsd:complexType name="DossierHistory">
        <xsd:sequence>
          <xsd:element name="DocCode" type="xsd:string"/>
          <xsd:element name="Traces" type="tns:ArrayOfTrace"/>
        </xsd:sequence>
      </xsd:complexType>
      <xsd:complexType name="Dossier">
        <xsd:sequence>
${sequence(DOSSIER_FIELDS)}
        </xsd:sequence>
      </xsd:complexType>
      <xsd:complexType name="DocFee">
        <xsd:sequence>
${sequence(DOC_FEE_FIELDS)}
        </xsd:sequence>
      </xsd:complexType>
      <xsd:complexType name="Trace">
        <xsd:sequence>
${sequence(TRACE_FIELDS)}
        </xsd:sequence>
      </xsd:complexType>
${arrayOf('Dossier')}
${arrayOf('DocFee')}
${arrayOf('Trace')}
    </xsd:schema>
  </wsdl:types>
  <wsdl:message name="ListChangedDossiersRequest"><wsdl:part name="parameters" element="tns:ListChangedDossiers"/></wsdl:message>
  <wsdl:message name="ListChangedDossiersResponse"><wsdl:part name="parameters" element="tns:ListChangedDossiersResponse"/></wsdl:message>
  <wsdl:message name="GetDossierHistoryRequest"><wsdl:part name="parameters" element="tns:GetDossierHistory"/></wsdl:message>
  <wsdl:message name="GetDossierHistoryResponse"><wsdl:part name="parameters" element="tns:GetDossierHistoryResponse"/></wsdl:message>
  <wsdl:portType name="DossierServicePortType">
    <wsdl:operation name="ListChangedDossiers">
      <wsdl:input message="tns:ListChangedDossiersRequest"/>
      <wsdl:output message="tns:ListChangedDossiersResponse"/>
    </wsdl:operation>
    <wsdl:operation name="GetDossierHistory">
      <wsdl:input message="tns:GetDossierHistoryRequest"/>
      <wsdl:output message="tns:GetDossierHistoryResponse"/>
    </wsdl:operation>
  </wsdl:portType>
  <wsdl:binding name="DossierServiceBinding" type="tns:DossierServicePortType">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
  ${operation('ListChangedDossiers')}
  ${operation('GetDossierHistory')}
  </wsdl:binding>
  <wsdl:service name="DossierService">
    <wsdl:port name="DossierServicePort" binding="tns:DossierServiceBinding">
      <soap:address location="${address}"/>
    </wsdl:port>
  </wsdl:service>
</wsdl:definitions>
`;
}
