import { Controller, Get } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags, OpenAPIObject } from '@nestjs/swagger';

import { ApiDocuments } from './api-documents';
import { API_PREFIX } from './region-ref.decorator';

/** MSB's health probe and the API documents; registered before the registry routes. */
@ApiTags('documents')
@Controller()
export class HealthController {
  constructor(private readonly documents: ApiDocuments) {}

  @Get(['samples', `${API_PREFIX}/samples`])
  @ApiExcludeEndpoint()
  samples(): { status: string } {
    return { status: 'active' };
  }

  @Get(`${API_PREFIX}/v0/swagger.json`)
  @ApiOperation({ summary: 'This document: OpenAPI 3, built from the routes at start' })
  @ApiOkResponse({ description: 'OpenAPI 3.0 document of the v0 API' })
  v0(): OpenAPIObject {
    return this.documents.get('v0');
  }

  @Get(`${API_PREFIX}/v1/swagger.json`)
  @ApiOperation({ summary: 'This document: OpenAPI 3, built from the routes at start' })
  @ApiOkResponse({ description: 'OpenAPI 3.0 document of the v1 API' })
  v1(): OpenAPIObject {
    return this.documents.get('v1');
  }
}
