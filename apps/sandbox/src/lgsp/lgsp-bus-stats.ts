import { Injectable } from '@nestjs/common';

/** Calls the simulated bus received, per endpoint, and how many it refused for want of a live token. */
@Injectable()
export class LgspBusStats {
  readonly calls = { token: 0, rest: 0, soap: 0, wsdl: 0, unauthorized: 0 };
}
