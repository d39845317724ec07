// The schema behind the simulator's strict kubeadm configuration decoder
// (kubeadm-types.ts): the JSON field names and basic types of every struct a
// kubeadm config document may hold, for the Kubernetes 1.36 release line.
//
// Written out by hand from the upstream Go sources, not generated and not
// copied:
//   - kubeadm.k8s.io/v1beta4: cmd/kubeadm/app/apis/kubeadm/v1beta4/types.go,
//     plus the two later additions made to it: ECDSA-P384 as an
//     encryptionAlgorithm (1.34, kubernetes#131677) and
//     ExternalEtcd.httpEndpoints (1.35, kubernetes#134890). The 1.36 notes
//     list no further v1beta4 field changes.
//   - BootstrapToken: cmd/kubeadm/app/apis/bootstraptoken/v1/types.go (the
//     token itself is a BootstrapTokenString, serialised as one string).
//   - Taint and EnvVar: k8s.io/api core/v1 (what v1beta4 embeds).
//   - KubeletConfiguration: staging/src/k8s.io/kubelet/config/v1beta1/types.go
//     at k8s.io/kubelet v0.36.3 (= Kubernetes 1.36.3), top-level fields only.
//   - KubeProxyConfiguration: staging/src/k8s.io/kube-proxy/config/v1alpha1/types.go
//     at k8s.io/kube-proxy v0.36.3, top-level fields only.
// When kubeadm changes, update this file by reading those sources again.

/**
 * How a field is checked. `duration` is a metav1.Duration (a Go duration
 * string), `time` a metav1.Time (an RFC 3339 string). `object` accepts any
 * mapping without looking inside: it is how this file says "checked loosely".
 * `enum` is a Go string type whose values upstream names as constants; the Go
 * decoder would take any string, but kubeadm, the kubelet or the API server
 * refuses the rest later, so the simulator refuses them up front.
 */
export type FieldType =
  | 'string' | 'bool' | 'int32' | 'int64' | 'float' | 'duration' | 'time' | 'object'
  | { list: FieldType }
  | { map: FieldType }
  | { struct: string }
  | { enum: readonly string[] };

export type Struct = Readonly<Record<string, FieldType>>;

const strings: FieldType = { list: 'string' };
const stringMap: FieldType = { map: 'string' };
const args: FieldType = { list: { struct: 'Arg' } };
const envs: FieldType = { list: { struct: 'EnvVar' } };
const struct = (name: string): FieldType => ({ struct: name });

// Go's `json:",inline"` embedding is written as an object spread.
const imageMeta: Struct = { imageRepository: 'string', imageTag: 'string' };
/** v1beta4 EncryptionAlgorithmType, a Go string type with these constants. */
const ENCRYPTION_ALGORITHMS = ['RSA-2048', 'RSA-3072', 'RSA-4096', 'ECDSA-P256', 'ECDSA-P384'] as const;
const controlPlaneComponent: Struct = { extraArgs: args, extraVolumes: { list: struct('HostPathMount') }, extraEnvs: envs };

/** kubeadm.k8s.io/v1beta4 and the types it reaches. */
const KUBEADM: Record<string, Struct> = {
  InitConfiguration: {
    bootstrapTokens: { list: struct('BootstrapToken') },
    dryRun: 'bool',
    nodeRegistration: struct('NodeRegistrationOptions'),
    localAPIEndpoint: struct('APIEndpoint'),
    certificateKey: 'string',
    skipPhases: strings,
    patches: struct('Patches'),
    timeouts: struct('Timeouts'),
  },
  ClusterConfiguration: {
    etcd: struct('Etcd'),
    networking: struct('Networking'),
    kubernetesVersion: 'string',
    controlPlaneEndpoint: 'string',
    apiServer: struct('APIServer'),
    controllerManager: struct('ControlPlaneComponent'),
    scheduler: struct('ControlPlaneComponent'),
    dns: struct('DNS'),
    proxy: struct('Proxy'),
    certificatesDir: 'string',
    imageRepository: 'string',
    featureGates: { map: 'bool' },
    clusterName: 'string',
    encryptionAlgorithm: { enum: ENCRYPTION_ALGORITHMS },
    certificateValidityPeriod: 'duration',
    caCertificateValidityPeriod: 'duration',
  },
  JoinConfiguration: {
    dryRun: 'bool',
    nodeRegistration: struct('NodeRegistrationOptions'),
    caCertPath: 'string',
    discovery: struct('Discovery'),
    controlPlane: struct('JoinControlPlane'),
    skipPhases: strings,
    patches: struct('Patches'),
    timeouts: struct('Timeouts'),
  },
  ControlPlaneComponent: controlPlaneComponent,
  APIServer: { ...controlPlaneComponent, certSANs: strings },
  DNS: { ...imageMeta, disabled: 'bool' },
  Proxy: { disabled: 'bool' },
  ImageMeta: imageMeta,
  APIEndpoint: { advertiseAddress: 'string', bindPort: 'int32' },
  NodeRegistrationOptions: {
    name: 'string',
    criSocket: 'string',
    taints: { list: struct('Taint') },
    kubeletExtraArgs: args,
    ignorePreflightErrors: strings,
    imagePullPolicy: { enum: ['Always', 'IfNotPresent', 'Never'] },
    imagePullSerial: 'bool',
  },
  Networking: { serviceSubnet: 'string', podSubnet: 'string', dnsDomain: 'string' },
  Etcd: { local: struct('LocalEtcd'), external: struct('ExternalEtcd') },
  LocalEtcd: { ...imageMeta, dataDir: 'string', extraArgs: args, extraEnvs: envs, serverCertSANs: strings, peerCertSANs: strings },
  ExternalEtcd: { endpoints: strings, httpEndpoints: strings, caFile: 'string', certFile: 'string', keyFile: 'string' },
  JoinControlPlane: { localAPIEndpoint: struct('APIEndpoint'), certificateKey: 'string' },
  Discovery: { bootstrapToken: struct('BootstrapTokenDiscovery'), file: struct('FileDiscovery'), tlsBootstrapToken: 'string' },
  BootstrapTokenDiscovery: { token: 'string', apiServerEndpoint: 'string', caCertHashes: strings, unsafeSkipCAVerification: 'bool' },
  FileDiscovery: { kubeConfigPath: 'string' },
  HostPathMount: {
    name: 'string',
    hostPath: 'string',
    mountPath: 'string',
    readOnly: 'bool',
    // corev1.HostPathType
    pathType: { enum: ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'] },
  },
  Patches: { directory: 'string' },
  Arg: { name: 'string', value: 'string' },
  // v1beta4's EnvVar inlines corev1.EnvVar; valueFrom (an EnvVarSource of
  // object references) is loose: kubeadm passes it to the static Pod untouched.
  EnvVar: { name: 'string', value: 'string', valueFrom: 'object' },
  Timeouts: {
    controlPlaneComponentHealthCheck: 'duration',
    kubeletHealthCheck: 'duration',
    kubernetesAPICall: 'duration',
    etcdAPICall: 'duration',
    tlsBootstrap: 'duration',
    discovery: 'duration',
    upgradeManifests: 'duration',
  },
  // bootstraptoken/v1
  BootstrapToken: { token: 'string', description: 'string', ttl: 'duration', expires: 'time', usages: strings, groups: strings },
  // corev1.Taint
  Taint: { key: 'string', value: 'string', effect: { enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] }, timeAdded: 'time' },
};

/**
 * kubelet.config.k8s.io/v1beta1, top-level fields only. Nested kubelet structs
 * (authentication, authorization, memorySwap, logging, crashLoopBackOff,
 * tracing, userNamespaces, the items of shutdownGracePeriodByPodPriority and
 * reservedMemory) are checked as `object` only: kopsdeck writes a handful of
 * top-level kubelet fields and the simulator reads fewer still. Taints reuse
 * the core/v1 Taint above.
 */
const KUBELET: Struct = {
  enableServer: 'bool', staticPodPath: 'string', podLogsDir: 'string',
  syncFrequency: 'duration', fileCheckFrequency: 'duration', httpCheckFrequency: 'duration',
  staticPodURL: 'string', staticPodURLHeader: { map: strings },
  address: 'string', port: 'int32', readOnlyPort: 'int32',
  tlsCertFile: 'string', tlsPrivateKeyFile: 'string', tlsCipherSuites: strings, tlsCurvePreferences: { list: 'int32' }, tlsMinVersion: 'string',
  rotateCertificates: 'bool', serverTLSBootstrap: 'bool',
  authentication: 'object', authorization: 'object',
  registryPullQPS: 'int32', registryBurst: 'int32',
  imagePullCredentialsVerificationPolicy: 'string', preloadedImagesVerificationAllowlist: strings,
  eventRecordQPS: 'int32', eventBurst: 'int32',
  enableDebuggingHandlers: 'bool', enableContentionProfiling: 'bool',
  healthzPort: 'int32', healthzBindAddress: 'string', oomScoreAdj: 'int32',
  clusterDomain: 'string', clusterDNS: strings,
  streamingConnectionIdleTimeout: 'duration', nodeStatusUpdateFrequency: 'duration', nodeStatusReportFrequency: 'duration',
  nodeLeaseDurationSeconds: 'int32',
  imageMinimumGCAge: 'duration', imageMaximumGCAge: 'duration', imageGCHighThresholdPercent: 'int32', imageGCLowThresholdPercent: 'int32',
  volumeStatsAggPeriod: 'duration',
  kubeletCgroups: 'string', systemCgroups: 'string', cgroupRoot: 'string', cgroupsPerQOS: 'bool', cgroupDriver: 'string',
  cpuManagerPolicy: 'string', singleProcessOOMKill: 'bool', cpuManagerPolicyOptions: stringMap, cpuManagerReconcilePeriod: 'duration',
  memoryManagerPolicy: 'string', topologyManagerPolicy: 'string', topologyManagerScope: 'string', topologyManagerPolicyOptions: stringMap,
  qosReserved: stringMap, runtimeRequestTimeout: 'duration', hairpinMode: 'string',
  maxPods: 'int32', podCIDR: 'string', podPidsLimit: 'int64', resolvConf: 'string', runOnce: 'bool',
  cpuCFSQuota: 'bool', cpuCFSQuotaPeriod: 'duration', nodeStatusMaxImages: 'int32', maxOpenFiles: 'int64', contentType: 'string',
  kubeAPIQPS: 'int32', kubeAPIBurst: 'int32', serializeImagePulls: 'bool', maxParallelImagePulls: 'int32',
  evictionHard: stringMap, evictionSoft: stringMap, evictionSoftGracePeriod: stringMap,
  evictionPressureTransitionPeriod: 'duration', evictionMaxPodGracePeriod: 'int32', evictionMinimumReclaim: stringMap,
  mergeDefaultEvictionSettings: 'bool', podsPerCore: 'int32', enableControllerAttachDetach: 'bool', protectKernelDefaults: 'bool',
  makeIPTablesUtilChains: 'bool', iptablesMasqueradeBit: 'int32', iptablesDropBit: 'int32',
  featureGates: { map: 'bool' }, failSwapOn: 'bool', memorySwap: 'object',
  containerLogMaxSize: 'string', containerLogMaxFiles: 'int32', containerLogMaxWorkers: 'int32', containerLogMonitorInterval: 'duration',
  configMapAndSecretChangeDetectionStrategy: 'string',
  systemReserved: stringMap, kubeReserved: stringMap, reservedSystemCPUs: 'string', showHiddenMetricsForVersion: 'string',
  systemReservedCgroup: 'string', kubeReservedCgroup: 'string', enforceNodeAllocatable: strings, allowedUnsafeSysctls: strings,
  volumePluginDir: 'string', providerID: 'string', kernelMemcgNotification: 'bool', logging: 'object',
  enableSystemLogHandler: 'bool', enableSystemLogQuery: 'bool',
  shutdownGracePeriod: 'duration', shutdownGracePeriodCriticalPods: 'duration', shutdownGracePeriodByPodPriority: { list: 'object' },
  crashLoopBackOff: 'object', reservedMemory: { list: 'object' },
  enableProfilingHandler: 'bool', enableDebugFlagsHandler: 'bool', seccompDefault: 'bool',
  memoryThrottlingFactor: 'float', memoryReservationPolicy: 'string',
  registerWithTaints: { list: struct('Taint') }, registerNode: 'bool', tracing: 'object', localStorageCapacityIsolation: 'bool',
  containerRuntimeEndpoint: 'string', imageServiceEndpoint: 'string', failCgroupV1: 'bool', userNamespaces: 'object',
};

/**
 * kubeproxy.config.k8s.io/v1alpha1, top-level fields only: the nested
 * per-mode and client structs (clientConnection, logging, iptables, ipvs,
 * nftables, winkernel, detectLocal, conntrack) are accepted as any mapping
 * without deep checks, since kopsdeck leaves kube-proxy at kubeadm's defaults.
 */
const KUBE_PROXY: Struct = {
  featureGates: { map: 'bool' }, clientConnection: 'object', logging: 'object',
  hostnameOverride: 'string', bindAddress: 'string', healthzBindAddress: 'string', metricsBindAddress: 'string',
  bindAddressHardFail: 'bool', enableProfiling: 'bool', showHiddenMetricsForVersion: 'string',
  mode: 'string', iptables: 'object', ipvs: 'object', nftables: 'object', winkernel: 'object',
  detectLocalMode: 'string', detectLocal: 'object', clusterCIDR: 'string', nodePortAddresses: strings,
  oomScoreAdj: 'int32', conntrack: 'object', configSyncPeriod: 'duration', portRange: 'string', windowsRunAsService: 'bool',
};

export const STRUCTS: Readonly<Record<string, Struct>> = { ...KUBEADM, KubeletConfiguration: KUBELET, KubeProxyConfiguration: KUBE_PROXY };

/** The documents a kopsdeck machine may present; the struct of each is its kind. */
export const KINDS: ReadonlyArray<{ apiVersion: string; kind: string }> = [
  { apiVersion: 'kubeadm.k8s.io/v1beta4', kind: 'InitConfiguration' },
  { apiVersion: 'kubeadm.k8s.io/v1beta4', kind: 'ClusterConfiguration' },
  { apiVersion: 'kubeadm.k8s.io/v1beta4', kind: 'JoinConfiguration' },
  { apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration' },
  { apiVersion: 'kubeproxy.config.k8s.io/v1alpha1', kind: 'KubeProxyConfiguration' },
];

/**
 * Fields the Go decoder takes as empty but kubeadm's validation (or the API
 * server, for a taint) then refuses, so leaving them out is a bootstrap bug.
 */
export const REQUIRED: Readonly<Record<string, readonly string[]>> = {
  Arg: ['name'],
  EnvVar: ['name'],
  Taint: ['key', 'effect'],
  HostPathMount: ['name', 'hostPath', 'mountPath'],
  BootstrapTokenDiscovery: ['token', 'apiServerEndpoint'],
  FileDiscovery: ['kubeConfigPath'],
};

/** v1beta3 fields that v1beta4 moved, named in the unknown-field problem. */
export const MOVED_IN_V1BETA4: Readonly<Record<string, string>> = {
  'APIServer.timeoutForControlPlane': 'a v1beta3 field; v1beta4 has {Init,Join}Configuration.timeouts.controlPlaneComponentHealthCheck',
  'Discovery.timeout': 'a v1beta3 field; v1beta4 has JoinConfiguration.timeouts.discovery',
};
