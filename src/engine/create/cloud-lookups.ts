// What the wizard reads from the cloud before it asks: the zones of a region
// (EC2 DescribeAvailabilityZones), the instance types it offers (EC2
// DescribeInstanceTypeOfferings), the account's Route 53 hosted zones, and the
// names already taken in the state store. Read-only: nothing is created here.
import { DescribeAvailabilityZonesCommand, paginateDescribeInstanceTypeOfferings } from '@aws-sdk/client-ec2';
import { paginateListHostedZones } from '@aws-sdk/client-route-53';
import { type CloudAccess } from '../cloud/access.js';
import { awsClientsFor } from '../cloud/aws/clients.js';
import { zonesOfRegion } from '../spec/regions.js';
import type { ClusterStore } from '../store/cluster-store.js';
import type { HostedZoneInfo, WizardEnvironment } from './answers.js';
import type { MachineTypeOfferings } from './field-checks.js';
import { errorMessage } from '../error-message.js';

export interface ZoneList {
  zones: string[];
  /** Where the list came from, for the screen: the cloud, or the built-in table. */
  source: 'cloud' | 'table';
  /** Why the cloud could not be asked, when it could not. */
  error?: string;
}

/** The available zones of `region`, from the cloud when there is access to one. */
export async function listZones(access: CloudAccess | undefined, region: string): Promise<ZoneList> {
  if (!access) return { zones: [...zonesOfRegion(region)], source: 'table' };
  const clients = awsClientsFor(access, region);
  try {
    const out = await clients.ec2.send(new DescribeAvailabilityZonesCommand({}));
    const zones = (out.AvailabilityZones ?? [])
      .filter((z) => (z.State ?? 'available') === 'available' && (z.ZoneType ?? 'availability-zone') === 'availability-zone')
      .map((z) => z.ZoneName)
      .filter((z): z is string => Boolean(z))
      .sort();
    return { zones, source: 'cloud' };
  } catch (error) {
    return { zones: [...zonesOfRegion(region)], source: 'table', error: errorMessage(error) };
  } finally {
    clients.destroy();
  }
}

/**
 * The instance types EC2 offers in `region`. When the cloud cannot be asked
 * (no cloud, no permission, an endpoint without the action), the reason comes
 * back instead and typed machine types are checked by their shape only.
 */
export async function listMachineTypes(access: CloudAccess | undefined, region: string): Promise<MachineTypeOfferings> {
  if (!access) return { region, error: 'no cloud is configured' };
  const clients = awsClientsFor(access, region);
  try {
    const types = new Set<string>();
    const pages = paginateDescribeInstanceTypeOfferings({ client: clients.ec2 }, { LocationType: 'region', Filters: [{ Name: 'location', Values: [region] }] });
    for await (const page of pages) {
      for (const offering of page.InstanceTypeOfferings ?? []) if (offering.InstanceType) types.add(offering.InstanceType);
    }
    if (types.size === 0) return { region, error: `EC2 listed no instance types for ${region}` };
    return { region, types: [...types].sort() };
  } catch (error) {
    return { region, error: errorMessage(error) };
  } finally {
    clients.destroy();
  }
}

export async function listHostedZones(access: CloudAccess): Promise<HostedZoneInfo[]> {
  const clients = awsClientsFor(access, access.defaultRegion);
  try {
    const zones: HostedZoneInfo[] = [];
    for await (const page of paginateListHostedZones({ client: clients.route53 }, {})) {
      for (const zone of page.HostedZones ?? []) {
        zones.push({
          name: (zone.Name ?? '').replace(/\.$/, '').toLowerCase(),
          id: (zone.Id ?? '').replace(/^\/hostedzone\//, ''),
          private: Boolean(zone.Config?.PrivateZone),
        });
      }
    }
    return zones.filter((z) => z.name !== '').sort((a, b) => a.name.localeCompare(b.name));
  } finally {
    clients.destroy();
  }
}

/** Taken names from the store, hosted zones from the cloud (an unreachable cloud is reported, not fatal). */
export async function loadWizardEnvironment(store: ClusterStore, access: CloudAccess | undefined, fallbackRegion = 'us-east-1'): Promise<WizardEnvironment> {
  const [takenNames, zones] = await Promise.all([
    store.listClusters(),
    access
      ? listHostedZones(access).then(
          (hostedZones) => ({ hostedZones, error: undefined as string | undefined }),
          (error: unknown) => ({ hostedZones: [] as HostedZoneInfo[], error: errorMessage(error) }),
        )
      : Promise.resolve({ hostedZones: [] as HostedZoneInfo[], error: undefined }),
  ]);
  return {
    defaultRegion: access?.defaultRegion ?? fallbackRegion,
    takenNames,
    hostedZones: zones.hostedZones,
    hostedZonesError: zones.error,
  };
}
