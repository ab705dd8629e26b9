import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(__dirname, '..', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]);
}

/** The hexagon's rules (STYLE-ANCHORS §3): dependencies point inwards only. */
describe('layer boundaries', () => {
  it('domain imports nothing but other domain files and node:crypto', () => {
    const offences = sources(join(SRC, 'domain')).flatMap((file) =>
      imports(file)
        .filter((spec) => !(spec.startsWith('./') && !spec.includes('..')) && spec !== 'node:crypto')
        .map((spec) => `${relative(SRC, file)} imports ${spec}`),
    );
    expect(offences).toEqual([]);
  });

  /**
   * src/application, one level deep (README "Code layout"): the entry use cases at the
   * top may use every folder; registration/ the jobs mechanisms and the ports; proxy/
   * the region reader and the ports; jobs/ the ports; ports/ only the domain. Each may use its own folder, the domain,
   * @nestjs/common and node built-ins.
   */
  const APPLICATION_FOLDERS: Record<string, string[]> = {
    '.': ['registration', 'proxy', 'jobs', 'ports'],
    'infra-workload': ['registration', 'jobs', 'ports'],
    registration: ['jobs', 'ports'],
    proxy: ['registration', 'ports'],
    jobs: ['ports'],
    ports: [],
  };

  it('application folders import only the folders below them, the domain, @nestjs/common and node built-ins', () => {
    const application = join(SRC, 'application');
    const folders = readdirSync(application).filter((name) => statSync(join(application, name)).isDirectory());
    expect(folders.sort()).toEqual(
      Object.keys(APPLICATION_FOLDERS)
        .filter((f) => f !== '.')
        .sort(),
    );
    const offences = sources(application).flatMap((file) => {
      const folder = relative(application, join(file, '..')) || '.';
      const up = folder === '.' ? './' : '../';
      const allowed = (spec: string) =>
        spec.startsWith('./') ||
        new RegExp(`^${folder === '.' ? '\\.\\./' : '\\.\\./\\.\\./'}domain/`).test(spec) ||
        APPLICATION_FOLDERS[folder].some((other) => spec.startsWith(`${up}${other}/`)) ||
        spec === '@nestjs/common' ||
        spec.startsWith('node:');
      return imports(file)
        .filter((spec) => !allowed(spec))
        .map((spec) => `${relative(SRC, file)} imports ${spec}`);
    });
    expect(offences).toEqual([]);
  });

  it('application uses @nestjs/common for Injectable only', () => {
    for (const file of sources(join(SRC, 'application'))) {
      const line = readFileSync(file, 'utf8').match(/^import \{([^}]*)\} from '@nestjs\/common';/m);
      if (line) expect(line[1].trim()).toBe('Injectable');
    }
  });

  it('nothing but the composition root and adapters reaches an adapter', () => {
    const offences = [...sources(join(SRC, 'domain')), ...sources(join(SRC, 'application')), ...sources(join(SRC, 'config'))].flatMap((file) =>
      imports(file)
        .filter((spec) => spec.includes('adapters/'))
        .map((spec) => `${relative(SRC, file)} imports ${spec}`),
    );
    expect(offences).toEqual([]);
  });

  it('the "Code layout" of docs/architecture.md names every folder of src/ and no other', () => {
    const readme = readFileSync(join(SRC, '..', 'docs', 'architecture.md'), 'utf8');
    const layout = readme.slice(readme.indexOf('## Code layout'), readme.indexOf('### How a registration flows'));
    const named = new Set([...layout.matchAll(/^\| `(src\/[a-z0-9/-]+)`/gm)].map((m) => m[1]));
    const folders = (dir: string): string[] =>
      readdirSync(dir)
        .filter((name) => statSync(join(dir, name)).isDirectory())
        .flatMap((name) => [join(dir, name), ...folders(join(dir, name))]);
    const tree = new Set(folders(SRC).map((dir) => `src/${relative(SRC, dir)}`));
    expect([...named].sort()).toEqual([...tree].sort());
  });
});
