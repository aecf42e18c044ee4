import { BadRequestException, Body, Controller, Delete, Get, Inject, Post } from '@nestjs/common';
import { DriftError, parseDrift } from './portal-catalogue-drift';
import { PortalCatalogue } from './portal-catalogue.service';

/**
 * Test and demo control of the simulated portal's catalogue: its state, run-time drift and reset.
 * Not part of the portal's API.
 */
@Controller('_sandbox/portal/catalogue')
export class PortalCatalogueController {
  constructor(@Inject(PortalCatalogue) private readonly catalogue: PortalCatalogue) {}

  @Get()
  state(): ReturnType<PortalCatalogue['state']> {
    return this.catalogue.state();
  }

  /** One step or an array of steps, applied in order, all or nothing. */
  @Post('drift')
  drift(@Body() body: unknown): ReturnType<PortalCatalogue['state']> {
    try {
      const steps = (Array.isArray(body) ? body : [body]).map(parseDrift);
      this.catalogue.apply(steps);
    } catch (error) {
      if (error instanceof DriftError) {
        throw new BadRequestException(error.message);
      }
      throw error;
    }
    return this.catalogue.state();
  }

  @Delete('drift')
  reset(): ReturnType<PortalCatalogue['state']> {
    this.catalogue.reset();
    return this.catalogue.state();
  }
}
