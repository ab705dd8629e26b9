/** A Nova compute service (`GET /os-services`, microversion 2.1 shape). */
export interface NovaComputeService {
  id?: string | number;
  binary: string;
  host: string;
  zone?: string;
  /** `enabled` or `disabled` (a locked StarlingX host's nova-compute is disabled). */
  status: 'enabled' | 'disabled' | string;
  /** `up` or `down`. */
  state: 'up' | 'down' | string;
  disabled_reason?: string | null;
}

/** A Nova host aggregate (`GET /os-aggregates`): an availability zone is an aggregate's `availability_zone`. */
export interface NovaAggregate {
  id: number | string;
  name: string;
  availability_zone: string | null;
  hosts: string[];
  metadata?: Record<string, string>;
}
