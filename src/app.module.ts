import { Logger, Module, OnModuleDestroy } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';

import { AaiHttpClient } from './adapters/aai/aai-http.client';
import { ApiDocuments } from './adapters/http/api-documents';
import { ApiErrorFilter } from './adapters/http/api-error.filter';
import { CapacityCheckController } from './adapters/http/capacity-check.controller';
import { CloudProxyController } from './adapters/http/cloud-proxy.controller';
import { HealthController } from './adapters/http/health.controller';
import { InfraWorkloadController, InfraWorkloadErrorFilter } from './adapters/http/infra-workload.controller';
import { K8sWorkloadHttpClient } from './adapters/k8s/k8s-workload.client';
import { HeatHttpClient } from './adapters/openstack/heat-http.client';
import { CacheWorkloadJobStore } from './adapters/store/cache-workload-job.store';
import { Heatbridge } from './application/infra-workload/heatbridge';
import { InfraWorkloads } from './application/infra-workload/infra-workloads';
import { WorkloadCleanup } from './application/infra-workload/workload-cleanup';
import { WorkloadJobs } from './application/infra-workload/workload-jobs';
import { WorkloadRegions } from './application/infra-workload/workload-region';
import { HeatPort } from './application/ports/heat.port';
import { K8sWorkloadPort } from './application/ports/k8s-workload.port';
import { WorkloadJobStorePort } from './application/ports/workload-store.port';
import { RegistryController } from './adapters/http/registry.controller';
import { K8sPluginHttpClient } from './adapters/k8s/k8s-plugin-http.client';
import { NestLog } from './adapters/nest-log';
import { MetricsController } from './adapters/observability/metrics.controller';
import { ObservabilityModule } from './adapters/observability/observability.module';
import { OpenStackHttpClient } from './adapters/openstack/openstack-http.client';
import { OutboundHttp } from './adapters/outbound/outbound-http';
import { UndiciCloudProxy } from './adapters/proxy/undici-cloud-proxy';
import { AzCapacityAuditScheduler } from './adapters/scheduler/az-capacity-audit.scheduler';
import { JobSweepScheduler } from './adapters/scheduler/job-sweep.scheduler';
import { WorkloadSweepScheduler } from './adapters/scheduler/workload-sweep.scheduler';
import { AuditRegistryStore } from './adapters/store/audit-registry.store';
import { RegistrySyncScheduler } from './adapters/scheduler/registry-sync.scheduler';
import { SyncRegistryStore } from './adapters/store/sync-registry.store';
import { SyncRegistrations } from './application/registration/sync-registrations';
import { SyncRegistryPort } from './application/ports/sync-registry.port';
import { CacheCapacityStore } from './adapters/store/cache-capacity.store';
import { CacheJobStore } from './adapters/store/cache-job.store';
import { KeystoneSessionCacheModule } from './adapters/openstack/keystone-session-cache';
import { RegionReadCacheModule, TokenCatalogCacheModule } from './adapters/store/caches.module';
import { StoreModule } from './adapters/store/store.module';
import { AuditAzCapacity } from './application/audit-az-capacity';
import { CheckCapacity } from './application/check-capacity';
import { CloudRegionReader } from './application/registration/cloud-region-reader';
import { ConnectKubernetes } from './application/registration/connect-kubernetes';
import { Redactor } from './application/jobs/redactor';
import { GetRegistrationStatus } from './application/get-registration-status';
import { RegionClaims } from './application/jobs/region-claims';
import { RegionJobs } from './application/jobs/region-jobs';
import { TaskBudget } from './application/jobs/task-budget';
import { KeystoneFront } from './application/keystone-front';
import { ProxyRegions } from './application/proxy/proxy-region';
import { ProxyServiceCall } from './application/proxy-service-call';
import { RequestLimits } from './application/ports/request-limits.port';
import { TokenCatalogs } from './application/proxy/token-catalogs';
import { AaiPort } from './application/ports/aai.port';
import { AuditRegistryPort } from './application/ports/audit-registry.port';
import { CapacityStorePort } from './application/ports/capacity-store.port';
import { CloudProxyPort } from './application/ports/cloud-proxy.port';
import { JobStorePort } from './application/ports/job-store.port';
import { K8sConnectivityPort } from './application/ports/k8s-connectivity.port';
import { LogPort } from './application/ports/log.port';
import { OpenStackPort } from './application/ports/openstack.port';
import { RegisterCloudRegion } from './application/register-cloud-region';
import { Settings } from './application/ports/settings.port';
import { PlanRegistration } from './application/plan-registration';
import { ReconcileRegion } from './application/registration/reconcile-region';
import { RegistrationScopeReader } from './application/registration/registration-scope';
import { RemoveSubcloud } from './application/registration/remove-subcloud';
import { UnregisterCloudRegion } from './application/unregister-cloud-region';
import { UpdateCloudRegion } from './application/registration/update-cloud-region';
import { AppConfig, appConfig } from './config/app.config';

const JOB_STOP_GRACE_MS = 5_000;

/** The composition root: every port bound to its adapter here, and nowhere else. */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [appConfig] }),
    ScheduleModule.forRoot(),
    StoreModule,
    ObservabilityModule,
    TokenCatalogCacheModule,
    KeystoneSessionCacheModule,
    RegionReadCacheModule,
  ],
  // Health first: GET /v0/swagger.json would otherwise match GET /v0/:vimid. The proxy
  // last (its `…/{vimid}/{service-type}/…` passes registry and capacity_check paths on).
  controllers: [HealthController, MetricsController, RegistryController, CapacityCheckController, InfraWorkloadController, CloudProxyController],
  providers: [
    { provide: APP_FILTER, useClass: ApiErrorFilter },
    { provide: Settings, inject: [appConfig.KEY], useFactory: (config: AppConfig) => config.settings },
    {
      provide: Redactor,
      inject: [appConfig.KEY],
      useFactory: ({ aai, limits }: AppConfig) => {
        const redactor = new Redactor(limits.redactor);
        redactor.pin(aai.password, Buffer.from(`${aai.username}:${aai.password}`).toString('base64'));
        return redactor;
      },
    },
    { provide: RequestLimits, inject: [appConfig.KEY], useFactory: (config: AppConfig) => config.limits.requests },
    { provide: LogPort, useClass: NestLog },
    { provide: AaiPort, useClass: AaiHttpClient },
    { provide: OpenStackPort, useClass: OpenStackHttpClient },
    { provide: K8sConnectivityPort, useClass: K8sPluginHttpClient },
    { provide: JobStorePort, useClass: CacheJobStore },
    { provide: CapacityStorePort, useClass: CacheCapacityStore },
    { provide: AuditRegistryPort, useClass: AuditRegistryStore },
    { provide: SyncRegistryPort, useClass: SyncRegistryStore },
    { provide: CloudProxyPort, useClass: UndiciCloudProxy },
    ApiDocuments,
    OutboundHttp,
    // SO's infra_workload (SPEC 13): Heat, the k8s plugin, and its jobs.
    { provide: HeatPort, useClass: HeatHttpClient },
    { provide: K8sWorkloadPort, useClass: K8sWorkloadHttpClient },
    { provide: WorkloadJobStorePort, useClass: CacheWorkloadJobStore },
    {
      provide: WorkloadJobs,
      inject: [WorkloadJobStorePort, Settings, LogPort, Heatbridge, WorkloadCleanup],
      useFactory: (store: WorkloadJobStorePort, settings: Settings, log: LogPort, heatbridge: Heatbridge, cleanup: WorkloadCleanup) =>
        new WorkloadJobs(store, settings, log, heatbridge, cleanup),
    },
    WorkloadRegions,
    Heatbridge,
    WorkloadCleanup,
    InfraWorkloads,
    InfraWorkloadErrorFilter,
    WorkloadSweepScheduler,
    {
      provide: RegionJobs,
      inject: [JobStorePort, Settings, LogPort, RegisterCloudRegion, UnregisterCloudRegion],
      useFactory: (store: JobStorePort, settings: Settings, log: LogPort, register: RegisterCloudRegion, unregister: UnregisterCloudRegion) =>
        new RegionJobs(store, settings, log, { register, unregister }),
    },
    TaskBudget,
    RegionClaims,
    CloudRegionReader,
    UpdateCloudRegion,
    ConnectKubernetes,
    RegistrationScopeReader,
    ReconcileRegion,
    RemoveSubcloud,
    PlanRegistration,
    RegisterCloudRegion,
    UnregisterCloudRegion,
    GetRegistrationStatus,
    AuditAzCapacity,
    CheckCapacity,
    AzCapacityAuditScheduler,
    SyncRegistrations,
    RegistrySyncScheduler,
    JobSweepScheduler,
    TokenCatalogs,
    ProxyRegions,
    KeystoneFront,
    ProxyServiceCall,
  ],
})
export class AppModule implements OnModuleDestroy {
  constructor(private readonly jobs: RegionJobs) {}

  /**
   * Before the store connection closes: nothing new is taken, running jobs stop and
   * stay in the store as interrupted, queued requests stay queued, for another replica.
   */
  async onModuleDestroy(): Promise<void> {
    Logger.log('stopping: running jobs are left to another replica to resume', 'Shutdown');
    await this.jobs.shutdown(JOB_STOP_GRACE_MS);
  }
}
