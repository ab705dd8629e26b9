import { FakeLog } from '../../../test/fakes/fake-log';
import { FakeK8sConnectivity } from '../../../test/fakes/fake-stores';
import { testSettings } from '../../../test/fakes/settings';
import { buildKubeconfig } from '../../domain/kubeconfig';
import { VimId } from '../../domain/vim-id';
import { ConnectKubernetes, disconnectKubernetes } from './connect-kubernetes';

const VIM = VimId.parse('Owner_R1');
const K8S = { isystem: { software_version: '21.12' }, 'k8s-apiserver': 'https://10.0.0.2:6443', 'k8s-apitoken': 'tok-secret' };

describe('ConnectKubernetes', () => {
  let k8s: FakeK8sConnectivity;
  let log: FakeLog;
  let connect: ConnectKubernetes;

  beforeEach(() => {
    k8s = new FakeK8sConnectivity();
    log = new FakeLog();
    connect = new ConnectKubernetes(k8s, testSettings(), log);
  });

  it('uploads the kubeconfig of a Kubernetes platform with an apiserver and a token', async () => {
    // No k8s-apiserver-cacert: connected, but the cluster is not verified.
    expect(await connect.execute(VIM, K8S)).toEqual({ connected: true, verified: false, record: 'created' });
    expect(k8s.records.get('R1')).toEqual({ cloudOwner: 'Owner', cloudRegion: 'R1', kubeconfig: buildKubeconfig('https://10.0.0.2:6443', 'tok-secret') });
  });

  it('writes nothing when multicloud-k8s already holds the same kubeconfig', async () => {
    await connect.execute(VIM, K8S);
    const writes = k8s.writes;
    expect(await connect.execute(VIM, K8S)).toEqual({ connected: true, verified: false, record: 'unchanged' });
    expect(k8s.writes).toBe(writes);
  });

  it('deletes and posts again when the token or the server changed', async () => {
    await connect.execute(VIM, K8S);
    expect(await connect.execute(VIM, { ...K8S, 'k8s-apitoken': 'rotated' })).toEqual({ connected: true, verified: false, record: 'replaced' });
    expect(k8s.records.get('R1')?.kubeconfig).toEqual(buildKubeconfig('https://10.0.0.2:6443', 'rotated'));
  });

  it('reads again when another job posted the region between the read and the POST ("already exists" is no warning)', async () => {
    const read = k8s.read.bind(k8s);
    let reads = 0;
    // The first read of each execution finds nothing: the other job's POST lands just after it.
    k8s.read = async (vimId) => (reads++ % 2 === 0 ? undefined : read(vimId));
    await k8s.register(VimId.parse('Other_R1'), buildKubeconfig('https://10.0.0.2:6443', 'tok-secret'));
    expect(await connect.execute(VIM, K8S)).toEqual({ connected: false, reason: 'other-owner', owner: 'Other' });
    expect(await connect.execute(VimId.parse('Other_R1'), K8S)).toEqual({ connected: true, verified: false, record: 'unchanged' });
    expect(reads).toBe(4);
  });

  it("leaves another cloud-owner's record of the same region alone", async () => {
    await connect.execute(VimId.parse('Other_R1'), K8S);
    expect(await connect.execute(VIM, { ...K8S, 'k8s-apitoken': 'mine' })).toEqual({ connected: false, reason: 'other-owner', owner: 'Other' });
    expect(k8s.records.get('R1')).toEqual({ cloudOwner: 'Other', cloudRegion: 'R1', kubeconfig: buildKubeconfig('https://10.0.0.2:6443', 'tok-secret') });
    await disconnectKubernetes(k8s, VIM);
    expect(k8s.records.has('R1')).toBe(true);
  });

  it('leaves alone a platform that does not run Kubernetes, or lacks the credentials', async () => {
    expect(await connect.execute(VIM, { ...K8S, isystem: { software_version: '18.03' } })).toEqual({
      connected: false,
      reason: 'not-kubernetes',
    });
    expect(await connect.execute(VIM, { isystem: { software_version: '19.12' }, 'k8s-apiserver': 'https://k8s' })).toEqual({
      connected: false,
      reason: 'no-credentials',
    });
    expect(k8s.records.size).toBe(0);
  });

  it('reports a refused upload without the token, never throwing', async () => {
    k8s.failure = new Error('multicloud-k8s answered 500: bad token tok-secret');
    expect(await connect.execute(VIM, K8S)).toEqual({
      connected: false,
      reason: 'failed',
      error: new Error('multicloud-k8s answered 500: bad token ***'),
    });
    expect(log.lines.join('\n')).not.toContain('tok-secret');
  });
});
