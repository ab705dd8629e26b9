import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController, OpenAPIObject } from '@nestjs/swagger';

import { ApiDocuments } from './api-documents';

/** MSB's health probe and the API descriptions; registered before the registry routes. */
@ApiExcludeController()
@Controller()
export class HealthController {
  constructor(private readonly documents: ApiDocuments) {}

  @Get(['samples', 'api/multicloud-starlingx/samples'])
  samples(): { status: string } {
    return { status: 'active' };
  }

  @Get('api/multicloud-starlingx/v0/swagger.json')
  v0(): OpenAPIObject {
    return this.documents.get('v0');
  }

  @Get('api/multicloud-starlingx/v1/swagger.json')
  v1(): OpenAPIObject {
    return this.documents.get('v1');
  }
}
