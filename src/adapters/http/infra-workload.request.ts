import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Expose, Type, plainToInstance } from 'class-transformer';
import { IsBoolean, IsDefined, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Min, ValidateNested, validateSync } from 'class-validator';

import { CreateWorkload } from '../../application/infra-workload/infra-workloads';
import { WorkloadFailure } from '../../domain/infra-workload';

/** Heat's stack create, as SO puts it in `template_data` (other Heat keys pass through). */
@ApiSchema({ name: 'HeatTemplateData', description: "Heat's stack create body (POST /v1/{project}/stacks)" })
export class TemplateDataDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  stack_name!: string;

  @ApiProperty({ description: 'the HOT template, as an object or a YAML/JSON string', oneOf: [{ type: 'object' }, { type: 'string' }] })
  @IsDefined()
  template!: unknown;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'overridden by the sdnc, then oof, then user directives' })
  @IsOptional()
  @IsObject()
  parameters?: Record<string, unknown>;

  @ApiPropertyOptional({ oneOf: [{ type: 'object' }, { type: 'string' }] })
  @IsOptional()
  environment?: unknown;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  files?: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'integer', minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  timeout_mins?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  disable_rollback?: boolean;
}

/** The heatbridge request: which vf-module and generic-vnf the vservers belong to. */
@ApiSchema({ name: 'WorkloadUpdate', description: 'The heatbridge request' })
export class HeatbridgeDto {
  @ApiPropertyOptional({ name: 'generic-vnf-id' })
  @Expose({ name: 'generic-vnf-id' })
  @IsOptional()
  @IsString()
  genericVnfId?: string;

  @ApiPropertyOptional({ name: 'vf-module-id' })
  @Expose({ name: 'vf-module-id' })
  @IsOptional()
  @IsString()
  vfModuleId?: string;
}

/** SO's `MulticloudRequest`: the heatbridge request's two ids, and the stack to create. */
@ApiSchema({ name: 'WorkloadCreate', description: "SO's MulticloudRequest: a Heat stack create and its directives" })
export class CreateWorkloadDto extends HeatbridgeDto {
  @ApiPropertyOptional({ description: 'empty or heat (any case)' })
  @IsOptional()
  @IsString()
  template_type?: string;

  @ApiProperty({ type: TemplateDataDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => TemplateDataDto)
  template_data!: TemplateDataDto;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: '{"attributes": [{attribute_name, attribute_value}]}' })
  @IsOptional()
  @IsObject()
  oof_directives?: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  sdnc_directives?: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  user_directives?: Record<string, unknown>;
}

/** The create body, checked; any problem is a 400 CREATE_FAILED naming them. */
export function createWorkloadOf(json: unknown): CreateWorkload {
  const dto = checked(CreateWorkloadDto, json, 'CREATE_FAILED');
  const data = { ...(json as { template_data: Record<string, unknown> }).template_data } as CreateWorkload['templateData'];
  return {
    genericVnfId: emptyAsAbsent(dto.genericVnfId),
    vfModuleId: emptyAsAbsent(dto.vfModuleId),
    templateType: dto.template_type,
    templateData: data,
    oofDirectives: dto.oof_directives,
    sdncDirectives: dto.sdnc_directives,
    userDirectives: dto.user_directives,
    raw: json,
  };
}

/** The heatbridge body (absent or `{}` is fine); a bad one is a 400 UPDATE_FAILED. */
export function heatbridgeOf(json: unknown): { genericVnfId?: string; vfModuleId?: string; raw: unknown } {
  const dto = checked(HeatbridgeDto, json ?? {}, 'UPDATE_FAILED');
  return { genericVnfId: emptyAsAbsent(dto.genericVnfId), vfModuleId: emptyAsAbsent(dto.vfModuleId), raw: json };
}

function checked<T extends object>(type: new () => T, json: unknown, failStatus: string): T {
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new WorkloadFailure(400, failStatus, 'the body is not a JSON object');
  const dto = plainToInstance(type, json);
  const errors = validateSync(dto, { forbidUnknownValues: false });
  if (errors.length) throw new WorkloadFailure(400, failStatus, `bad request body: ${problems(errors).join('; ')}`);
  return dto;
}

function problems(errors: ReturnType<typeof validateSync>, at = ''): string[] {
  return errors.flatMap((error) => {
    const path = at ? `${at}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((text) => text.replace(error.property, path));
    return [...own, ...problems(error.children ?? [], path)];
  });
}

function emptyAsAbsent(value: string | undefined): string | undefined {
  return value && value.trim() ? value : undefined;
}
