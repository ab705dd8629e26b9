import { Controller, Get } from '@nestjs/common';

import { swaggerDocument } from './swagger';

/** MSB's health probe and the API descriptions; registered before the registry routes. */
@Controller()
export class HealthController {
  @Get(['samples', 'api/multicloud-starlingx/samples'])
  samples(): { status: string } {
    return { status: 'active' };
  }

  @Get('api/multicloud-starlingx/v0/swagger.json')
  v0(): Record<string, unknown> {
    return swaggerDocument('v0');
  }

  @Get('api/multicloud-starlingx/v1/swagger.json')
  v1(): Record<string, unknown> {
    return swaggerDocument('v1');
  }
}
