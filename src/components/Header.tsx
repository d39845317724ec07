// The top two lines: product and screen, then where the console is pointed
// (state store, cluster, cloud and region), with a SIMULATED badge when the
// cloud is the embedded simulator.
import { Box, Text } from 'ink';
import { fit } from './cells.js';

export interface HeaderProps {
  title: string;
  storeUrl: string;
  cluster?: string;
  cloud: string;
  region?: string;
  simulated: boolean;
  width: number;
}

export const HEADER_ROWS = 2;
const BADGE = ' SIMULATED ';

export function Header({ title, storeUrl, cluster, cloud, region, simulated, width }: HeaderProps) {
  const badge = simulated ? BADGE : '';
  const place = [`cluster: ${cluster ?? '-'}`, `cloud: ${cloud}${region ? ' ' + region : ''}`].join('  ');
  const storeWidth = Math.max(10, width - place.length - 9);
  const store = storeUrl.length > storeWidth ? '…' + storeUrl.slice(storeUrl.length - storeWidth + 1) : storeUrl;
  return (
    <Box flexDirection="column" width={width}>
      <Box>
        <Text bold color="cyan">
          kopsdeck
        </Text>
        <Text>{fit(`  ${title}`, Math.max(0, width - 8 - badge.length))}</Text>
        {simulated ? (
          <Text inverse color="yellow" bold>
            {badge}
          </Text>
        ) : null}
      </Box>
      <Text dimColor wrap="truncate-end">
        {`state: ${store}  ${place}`}
      </Text>
    </Box>
  );
}
