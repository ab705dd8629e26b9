import { AaiObject } from './aai-object';

export interface CloudProject {
  id: string;
  name: string;
}

export function toAaiTenant(project: CloudProject): AaiObject {
  return { 'tenant-id': String(project.id), 'tenant-name': String(project.name ?? project.id) };
}
