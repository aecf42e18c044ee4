import type { LgspRequestGate } from './lgsp-http';
import { LgspRestAdapter } from './lgsp-rest.adapter';
import { LgspSoapAdapter } from './lgsp-soap.adapter';
import { LgspTokenClient } from './lgsp-token.client';
import type { LgspConfig } from './lgsp.config';
import { LgspError } from './lgsp.errors';
import type {
  CallRestParams,
  ChangedDossierPage,
  DossierHistoryParams,
  LgspConnectionCheck,
  LgspPort,
  LgspRestAnswer,
  ListChangedDossiersParams,
} from './lgsp.port';

/**
 * The bus as one port: REST and SOAP share one token client (one client id, one cached token). Without a
 * `soap` section the SOAP methods reject with REJECTED.
 */
export class LgspAdapter implements LgspPort {
  readonly tokens: LgspTokenClient;
  private readonly rest: LgspRestAdapter;
  private readonly soap: LgspSoapAdapter | null;

  constructor(
    private readonly config: LgspConfig,
    options: { gate?: LgspRequestGate } = {},
  ) {
    this.tokens = new LgspTokenClient(config, options);
    this.rest = new LgspRestAdapter(config, this.tokens, options);
    this.soap = config.soap ? new LgspSoapAdapter(config, this.tokens, options) : null;
  }

  callRest(params: CallRestParams): Promise<LgspRestAnswer> {
    return this.rest.callRest(params);
  }

  listChangedDossiers(params: ListChangedDossiersParams): Promise<ChangedDossierPage> {
    return this.soapService().listChangedDossiers(params);
  }

  getDossierHistory(params: DossierHistoryParams): Promise<Record<string, unknown>[]> {
    return this.soapService().getDossierHistory(params);
  }

  /** The SOAP service when configured (it proves the token too), else the token alone. */
  checkConnection(): Promise<LgspConnectionCheck> {
    return this.soap ? this.soap.checkConnection() : this.rest.checkConnection();
  }

  private soapService(): LgspSoapAdapter {
    if (!this.soap) {
      throw new LgspError('REJECTED', `no SOAP dossier service is configured for ${this.config.baseUrl}`);
    }
    return this.soap;
  }
}
