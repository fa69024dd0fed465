// URLs an admin could type to make Reelay reach something it must not: loopback in every
// spelling URL parsers accept, cloud metadata, private and reserved ranges, IPv6 forms that embed
// IPv4, and userinfo tricks. Each must be refused unless its host is on OUTBOUND_ALLOW_HOSTS.
export const FORBIDDEN_URLS: string[] = [
  // loopback, spelled many ways
  'http://127.0.0.1',
  'http://127.0.0.1:8080/v1',
  'https://127.1.2.3',
  'http://127.1',
  'http://0x7f000001',
  'http://0x7f.0x0.0x0.0x1',
  'http://0177.0.0.1',
  'http://0177.0000.0000.0001',
  'http://2130706433',
  'http://017700000001',
  'http://0x7f.1',
  'http://①②⑦.⓪.⓪.①',
  'http://127。0。0。1',
  'http://127．0．0．1',
  'http://１２７.０.０.１',
  'http://127.0.0.1.',
  'http://localhost',
  'http://LOCALHOST:3000',
  'http://api.localhost',
  'http://[::1]',
  'http://[0:0:0:0:0:0:0:1]',
  'http://[::ffff:127.0.0.1]',
  'http://[::ffff:7f00:1]',
  'http://[0:0:0:0:0:ffff:127.0.0.1]',
  'http://[::127.0.0.1]',
  'http://[::ffff:0:127.0.0.1]',
  'http://[64:ff9b::127.0.0.1]',
  'http://[2002:7f00:1::]',
  // userinfo: whatever the name before @ says, the host is what counts (and userinfo is refused)
  'http://api.klingai.com@127.0.0.1',
  'http://user:pass@api.klingai.com',
  'http://api.klingai.com:443@127.0.0.1:3000',
  // unspecified
  'http://0.0.0.0',
  'http://0',
  'http://[::]',
  // cloud metadata
  'http://169.254.169.254/latest/meta-data/',
  'http://169.254.170.2',
  'http://[fd00:ec2::254]',
  'http://100.100.100.200/latest/meta-data',
  'http://0xa9fea9fe',
  'http://2852039166',
  'http://[::ffff:169.254.169.254]',
  // private, CGNAT, link-local, multicast, broadcast, reserved
  'http://10.0.0.1',
  'http://10.255.255.255',
  'http://172.16.0.1',
  'http://172.31.255.254',
  'http://192.168.1.1',
  'http://100.64.0.1',
  'http://[fc00::1]',
  'http://[fe80::1]',
  'http://224.0.0.1',
  'http://[ff02::1]',
  'http://255.255.255.255',
  'http://192.0.2.10',
  'http://198.18.0.1',
  'http://240.0.0.1',
  // not http at all
  'file:///etc/passwd',
  'gopher://127.0.0.1:6379/_INFO',
  'ftp://example.com',
];

// Public addresses and names that stay allowed.
export const ALLOWED_URLS: string[] = [
  'https://api-singapore.klingai.com',
  'https://api.kie.ai',
  'http://8.8.8.8',
  'https://[2606:4700:4700::1111]',
  'https://93.184.216.34/v1',
];
