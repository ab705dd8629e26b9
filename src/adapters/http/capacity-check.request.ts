import { Injectable, PipeTransform } from '@nestjs/common';
import { Validate, ValidationArguments, ValidatorConstraint, ValidatorConstraintInterface, validateSync } from 'class-validator';

import { CapacityDemand, demandValue, parseCapacityDemand } from '../../domain/capacity-demand';
import { InvalidRequestError } from '../../domain/errors';
import { jsonOf } from './request-body';

/**
 * One demand field: a JSON number or a numeric string, not negative, finite. The rule
 * and its words are the domain's (`demandValue`), so the 400 names the field as it did.
 */
@ValidatorConstraint({ name: 'demandValue' })
class DemandValue implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    return problemOf(args.property, value) === undefined;
  }

  defaultMessage(args: ValidationArguments): string {
    return problemOf(args.property, args.value) ?? `${args.property} is not valid`;
  }
}

function problemOf(field: string, value: unknown): string | undefined {
  try {
    demandValue(field, value);
    return undefined;
  } catch (error) {
    if (error instanceof InvalidRequestError) return error.message;
    throw error;
  }
}

/** A capacity_check body (SPEC 5): vCPU, Memory (MB) and Storage (GB); other keys are ignored. */
export class CapacityCheckRequest {
  @Validate(DemandValue)
  vCPU!: unknown;

  @Validate(DemandValue)
  Memory!: unknown;

  @Validate(DemandValue)
  Storage!: unknown;

  /**
   * The three fields of a parsed body, as they are. Not class-transformer's
   * plainToInstance: it walks every value to its depth, and a deeply nested body
   * (within the 1 MB limit) would overflow the stack.
   */
  static of(json: Record<string, unknown>): CapacityCheckRequest {
    return Object.assign(new CapacityCheckRequest(), { vCPU: json.vCPU, Memory: json.Memory, Storage: json.Storage });
  }
}

/**
 * The raw body (text, see request-body.ts) as a checked CapacityDemand: JSON, then the
 * CapacityCheckRequest constraints (the first bad field, in the order above), then the
 * domain's demand (fractions truncated). Its errors are InvalidRequestErrors, answered
 * 400 `{"result": false, "error"}`.
 */
@Injectable()
export class CapacityDemandPipe implements PipeTransform<unknown, CapacityDemand> {
  transform(body: unknown): CapacityDemand {
    const json = jsonOf(body);
    if (json === undefined && typeof body === 'string' && body.trim() !== '') {
      throw new InvalidRequestError('the body is not valid JSON');
    }
    if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
      const [first] = validateSync(CapacityCheckRequest.of(json as Record<string, unknown>), { stopAtFirstError: true });
      if (first) throw new InvalidRequestError(Object.values(first.constraints ?? {})[0] ?? `${first.property} is not valid`);
    }
    return parseCapacityDemand(json);
  }
}
