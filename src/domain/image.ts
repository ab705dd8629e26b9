import { AaiObject } from './aai-object';

/** A Glance v2 image; StarlingX images may carry the application properties. */
export interface GlanceImage {
  id: string;
  name?: string | null;
  self?: string;
  os_distro?: string;
  os_version?: string;
  application?: string;
  application_vendor?: string;
  application_version?: string;
  architecture?: string;
}

/** A&AI requires image-os-distro, image-os-version and image-selflink: 'Unknown' stands in. */
export function toAaiImage(image: GlanceImage): AaiObject {
  const body: AaiObject = {
    'image-id': String(image.id),
    'image-name': String(image.name ?? image.id),
    'image-selflink': image.self || `/v2/images/${image.id}`,
    'image-os-distro': image.os_distro || 'Unknown',
    'image-os-version': image.os_version || 'Unknown',
  };
  const optional: Array<[string, unknown]> = [
    ['application', image.application],
    ['application-vendor', image.application_vendor],
    ['application-version', image.application_version],
    ['image-architecture', image.architecture],
  ];
  for (const [key, value] of optional) {
    if (typeof value === 'string' && value !== '') body[key] = value;
  }
  return body;
}
