/**
 * A generated corpus for `npm run bench` where the legacy archive (../shared) is not available:
 * modern kbsite articles `kb/<id>/index.md` (front matter as in src/article/schema.ts, sections
 * Symptoms / Cause / Resolution / More information, 3–6 KB each), some with stop codes in the
 * forms people paste (`STOP 0x0000007B (…)`), some hotfixes with a `files.yaml` file table
 * (format: top of src/file-versions.ts). Deterministic: the same seed and count give the same
 * bytes, and article i is the same whatever the count, so a smaller corpus is a prefix of a
 * larger one. Usage:
 *   node --import tsx bench/generate-corpus.ts --count 2000 --out /tmp/kb-generated [--seed 5]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { seededRandom } from './lib/random.ts';

const prng = seededRandom;

type Random = ReturnType<typeof prng>;
const pick = <T>(r: Random, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
const int = (r: Random, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const chance = (r: Random, p: number): boolean => r() < p;
function some<T>(r: Random, list: readonly T[], lo: number, hi: number): T[] {
  const copy = [...list];
  const out: T[] = [];
  for (let n = int(r, lo, Math.min(hi, copy.length)); n > 0; n--) out.push(copy.splice(Math.floor(r() * copy.length), 1)[0]!);
  return out;
}

interface Product {
  name: string;
  editions: string[];
  years: [number, number];
  /** Version prefix of its system files, e.g. 5.2.3790 for Windows Server 2003. */
  build: string;
}

const PRODUCTS: Product[] = [
  { name: 'Windows 2000 Server', editions: ['Windows 2000 Server SP4', 'Windows 2000 Advanced Server', 'Windows 2000 Datacenter Server'], years: [1999, 2006], build: '5.0.2195' },
  { name: 'Windows 2000 Professional', editions: ['Windows 2000 Professional SP3', 'Windows 2000 Professional SP4'], years: [1999, 2006], build: '5.0.2195' },
  { name: 'Windows XP Professional', editions: ['Windows XP Professional SP2', 'Windows XP Professional SP3', 'Windows XP Professional x64 Edition'], years: [2001, 2010], build: '5.1.2600' },
  { name: 'Windows Server 2003', editions: ['Windows Server 2003 SP1', 'Windows Server 2003 SP2', 'Windows Server 2003 R2 Enterprise Edition'], years: [2003, 2012], build: '5.2.3790' },
  { name: 'Windows Vista', editions: ['Windows Vista Business', 'Windows Vista Enterprise', 'Windows Vista Ultimate SP2'], years: [2007, 2012], build: '6.0.6002' },
  { name: 'Windows Server 2008', editions: ['Windows Server 2008 Service Pack 2', 'Windows Server 2008 Enterprise', 'Windows Server 2008 Datacenter'], years: [2008, 2015], build: '6.0.6002' },
  { name: 'Windows 7', editions: ['Windows 7 Enterprise', 'Windows 7 Professional', 'Windows 7 Service Pack 1'], years: [2009, 2016], build: '6.1.7601' },
  { name: 'Windows Server 2008 R2', editions: ['Windows Server 2008 R2 Standard', 'Windows Server 2008 R2 Enterprise', 'Windows Server 2008 R2 SP1'], years: [2009, 2016], build: '6.1.7601' },
  { name: 'Windows Server 2012 R2', editions: ['Windows Server 2012 R2 Standard', 'Windows Server 2012 R2 Datacenter'], years: [2013, 2016], build: '6.3.9600' },
  { name: 'Windows 8.1', editions: ['Windows 8.1 Pro', 'Windows 8.1 Enterprise'], years: [2013, 2016], build: '6.3.9600' },
  { name: 'Microsoft Outlook 2003', editions: ['Microsoft Office Outlook 2003 SP3'], years: [2003, 2010], build: '11.0.8303' },
  { name: 'Microsoft Outlook 2010', editions: ['Microsoft Outlook 2010 SP1', 'Microsoft Outlook 2010 SP2'], years: [2010, 2016], build: '14.0.7015' },
  { name: 'Microsoft Exchange Server 2007', editions: ['Exchange Server 2007 SP1', 'Exchange Server 2007 SP3'], years: [2007, 2014], build: '8.3.83' },
  { name: 'Microsoft Excel 2007', editions: ['Microsoft Office Excel 2007 SP2'], years: [2007, 2012], build: '12.0.6535' },
  { name: 'Microsoft Word 2010', editions: ['Microsoft Word 2010 SP1'], years: [2010, 2015], build: '14.0.6024' },
  { name: 'Microsoft Access 2003', editions: ['Microsoft Office Access 2003 SP3'], years: [2003, 2009], build: '11.0.8166' },
  { name: 'SQL Server 2005', editions: ['SQL Server 2005 Standard Edition', 'SQL Server 2005 Enterprise Edition SP3'], years: [2005, 2012], build: '9.0.4035' },
  { name: 'SQL Server 2008 R2', editions: ['SQL Server 2008 R2 Standard', 'SQL Server 2008 R2 Enterprise'], years: [2010, 2016], build: '10.50.2500' },
  { name: 'Internet Explorer 6', editions: ['Internet Explorer 6 SP1'], years: [2001, 2008], build: '6.0.2900' },
  { name: 'Internet Explorer 8', editions: ['Windows Internet Explorer 8'], years: [2009, 2013], build: '8.0.6001' },
];

interface Component {
  area: string;
  files: string[];
  service?: string;
  keywords: string[];
}

const COMPONENTS: Component[] = [
  { area: 'NTFS file system', files: ['Ntfs.sys'], keywords: ['ntfs', 'file system', 'volume'] },
  { area: 'print spooler', files: ['Spoolsv.exe', 'Win32spl.dll', 'Localspl.dll'], service: 'Spooler', keywords: ['printer', 'print spooler', 'printing'] },
  { area: 'TCP/IP stack', files: ['Tcpip.sys', 'Afd.sys'], service: 'Tcpip', keywords: ['tcp/ip', 'network', 'sockets'] },
  { area: 'SMB redirector', files: ['Mrxsmb.sys', 'Rdbss.sys'], service: 'LanmanWorkstation', keywords: ['smb', 'file share', 'redirector'] },
  { area: 'Storport driver', files: ['Storport.sys', 'Msdsm.sys'], keywords: ['storage', 'san', 'multipath'] },
  { area: 'USB hub driver', files: ['Usbhub.sys', 'Usbport.sys'], keywords: ['usb', 'device', 'hub'] },
  { area: 'DHCP client', files: ['Dhcpcsvc.dll'], service: 'Dhcp', keywords: ['dhcp', 'ip address', 'lease'] },
  { area: 'DNS client', files: ['Dnsapi.dll', 'Dnsrslvr.dll'], service: 'Dnscache', keywords: ['dns', 'name resolution'] },
  { area: 'Outlook', files: ['Outlook.exe', 'Mapi32.dll', 'Emsmdb32.dll'], keywords: ['outlook', 'calendar', 'pst'] },
  { area: 'Windows Setup', files: ['Setupapi.dll', 'Winnt32.exe', 'Setupdd.sys'], keywords: ['setup', 'installation', 'upgrade'] },
  { area: 'Terminal Services', files: ['Termdd.sys', 'Rdpwd.sys', 'Termsrv.dll'], service: 'TermService', keywords: ['terminal server', 'remote desktop', 'rdp'] },
  { area: 'Cluster service', files: ['Clussvc.exe', 'Clusres.dll'], service: 'ClusSvc', keywords: ['cluster', 'failover', 'quorum'] },
  { area: 'Kerberos authentication', files: ['Kerberos.dll', 'Lsasrv.dll'], keywords: ['kerberos', 'authentication', 'ticket'] },
  { area: 'Group Policy', files: ['Userenv.dll', 'Gpsvc.dll'], keywords: ['group policy', 'gpo', 'logon'] },
  { area: 'Active Directory', files: ['Ntdsa.dll', 'Ntdsai.dll'], service: 'NTDS', keywords: ['active directory', 'domain controller', 'replication'] },
  { area: 'Internet Information Services', files: ['W3svc.dll', 'Http.sys'], service: 'W3SVC', keywords: ['iis', 'web server', 'http'] },
  { area: 'Excel', files: ['Excel.exe', 'Vbe6.dll'], keywords: ['excel', 'workbook', 'macro'] },
  { area: 'Word', files: ['Winword.exe', 'Wwlib.dll'], keywords: ['word', 'document', 'template'] },
  { area: 'Volume Shadow Copy', files: ['Volsnap.sys', 'Vssvc.exe'], service: 'VSS', keywords: ['shadow copy', 'backup', 'snapshot'] },
  { area: 'Win32k graphics subsystem', files: ['Win32k.sys', 'Gdi32.dll'], keywords: ['graphics', 'display', 'gdi'] },
  { area: 'disk class driver', files: ['Disk.sys', 'Classpnp.sys', 'Partmgr.sys'], keywords: ['disk', 'boot', 'partition'] },
];

const STOP_CODES: Array<[string, string]> = [
  ['0x0000007B', 'INACCESSIBLE_BOOT_DEVICE'], ['0x0000000A', 'IRQL_NOT_LESS_OR_EQUAL'], ['0x00000050', 'PAGE_FAULT_IN_NONPAGED_AREA'],
  ['0x0000001E', 'KMODE_EXCEPTION_NOT_HANDLED'], ['0x00000024', 'NTFS_FILE_SYSTEM'], ['0x000000D1', 'DRIVER_IRQL_NOT_LESS_OR_EQUAL'],
  ['0x0000007E', 'SYSTEM_THREAD_EXCEPTION_NOT_HANDLED'], ['0x000000C2', 'BAD_POOL_CALLER'], ['0x0000003B', 'SYSTEM_SERVICE_EXCEPTION'],
  ['0x00000101', 'CLOCK_WATCHDOG_TIMEOUT'], ['0x000000F4', 'CRITICAL_OBJECT_TERMINATION'], ['0x0000007F', 'UNEXPECTED_KERNEL_MODE_TRAP'],
];

const ACTIONS = [
  'you print a document to a shared printer', 'you unmount a volume that has open handles', 'you run Windows 2000 setup from the CD',
  'you open a shared calendar', 'you copy a large file over the network', 'you resume the computer from hibernation',
  'you restore a system state backup', 'you add a node to the cluster', 'you log on to the domain with a smart card',
  'you open a workbook that contains external links', 'you save a document to a network share', 'you renew the DHCP lease',
  'many users connect at the same time', 'you install a service pack', 'the computer starts after a driver update',
  'you browse a website that uses client certificates', 'you run a scheduled backup job', 'you apply a Group Policy object',
];
const SYMPTOMS = [
  'stops responding', 'restarts unexpectedly', 'runs very slowly', 'logs event ID {event} in the System log',
  'returns the error "{error}"', 'consumes 100 percent of the CPU', 'leaks nonpaged pool memory', 'displays a blank window',
];
const ERRORS = [
  'The RPC server is unavailable', 'Access is denied', 'The specified network name is no longer available', 'The operation could not be completed',
  'Not enough server storage is available to process this command', 'The system cannot find the path specified',
  'The remote procedure call failed', 'A device attached to the system is not functioning',
];
const CAUSES = [
  'This problem occurs because the {area} does not release a reference to the {object} when {condition}.',
  'This issue occurs because of a race condition in the {area}. When {condition} while two threads use the same {object}, one of them reads freed memory.',
  'The {file} file incorrectly calculates the size of the {object} buffer. Therefore, a buffer overrun occurs when {condition}.',
  'This behavior occurs because the {area} waits for a response from the {object} without a time-out. If {condition}, the wait never ends.',
  'A deadlock occurs between the {area} and the {object} manager when {condition}.',
];
const OBJECTS = ['file control block', 'print job', 'socket', 'security context', 'device object', 'registry handle', 'work item', 'lease record', 'MAPI session', 'lock', 'cache entry', 'I/O request packet'];
const CONDITIONS = [
  'the volume is dismounted', 'the request is cancelled', 'the network connection is reset', 'the user logs off',
  'the service is stopped during startup', 'low memory conditions occur', 'the time-out value is exceeded', 'the object is renamed',
];
const WORDS = [
  'max', 'work', 'items', 'queue', 'cache', 'timeout', 'retry', 'buffer', 'size', 'enable', 'disable', 'pool', 'limit', 'idle',
  'connection', 'session', 'thread', 'count', 'interval', 'lazy', 'write', 'flush', 'scan', 'trace', 'level', 'debug', 'fast', 'path',
];
const FILLER = [
  'To work around this issue, restart the affected service. However, the problem may recur after some time.',
  'This problem was first corrected in the service pack that is listed in the "Applies to" section.',
  'Microsoft has confirmed that this is a problem in the Microsoft products that are listed in the "Applies to" section.',
  'Before you modify the registry, back it up so that you can restore it if a problem occurs.',
  'If you are not severely affected by this problem, we recommend that you wait for the next software update that contains this hotfix.',
  'The hotfix might receive additional testing. Apply it only to systems that are experiencing the problem that this article describes.',
  'For a complete list of the updated files, see the "File information" section.',
  'You must restart the computer after you apply this hotfix.',
  'This hotfix does not replace a previously released hotfix.',
  'To determine whether you are affected, examine the event log on the server for the event that is described in the "Symptoms" section.',
  'Administrators can deploy this update by using Windows Server Update Services (WSUS) or Systems Management Server (SMS).',
  'The problem does not occur on computers that have only one processor.',
];

const yamlQuote = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const camel = (r: Random, n: number): string => some(r, WORDS, n, n).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
const isoDate = (y: number, m: number, d: number): string => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** The KB number of generated article i (0-based): same width, so path order is numeric order. */
export function generatedId(i: number): number {
  return 300000 + i * 7;
}

export interface GeneratedArticle {
  id: number;
  /** Path below the content folder, e.g. `kb/300007/index.md`. */
  markdown: string;
  markdownText: string;
  filesYaml?: string;
}

/** Article i of the corpus for a seed: a pure function, so any subset is reproducible on its own. */
export function generateArticle(i: number, seed = 5): GeneratedArticle {
  const r = prng(seed * 1_000_003 + i);
  const id = generatedId(i);
  const product = pick(r, PRODUCTS);
  const component = pick(r, COMPONENTS);
  const file = pick(r, component.files);
  const action = pick(r, ACTIONS);
  const stop = chance(r, 0.15) ? pick(r, STOP_CODES) : null;
  const error = pick(r, ERRORS);
  const event = int(r, 1000, 7999);
  const symptom = pick(r, SYMPTOMS).replace('{event}', String(event)).replace('{error}', error);
  const type = stop || chance(r, 0.3) ? 'hotfix' : pick(r, ['problem', 'bug', 'how-to', 'information', 'troubleshooting', 'reference'] as const);
  const year = int(r, product.years[0], product.years[1]);
  const published = isoDate(year, int(r, 1, 12), int(r, 1, 28));
  const updated = chance(r, 0.4) ? isoDate(Math.min(year + int(r, 0, 3), 2016), 12, int(r, 1, 28)) : undefined;
  const products = [product.name, ...(chance(r, 0.2) ? [pick(r, PRODUCTS).name] : [])].filter((p, k, all) => all.indexOf(p) === k);
  const fill = (template: string): string =>
    template.replace('{area}', component.area).replace('{object}', pick(r, OBJECTS)).replace('{condition}', pick(r, CONDITIONS)).replace('{file}', file);

  const title =
    type === 'how-to'
      ? `How to troubleshoot the ${component.area} when ${action} in ${product.name}`
      : stop
        ? `Stop error ${stop[0]} when ${action} on a computer that is running ${product.name}`
        : chance(r, 0.5)
          ? `"${error}" error message when ${action} in ${product.name}`
          : `The ${component.area} ${symptom.replace(/ ".*"/, '')} when ${action} in ${product.name}`;
  const summary = `${product.name} ${symptom} when ${action}. ${type === 'hotfix' ? `A hotfix that updates ${file} is available.` : `This article describes the cause and how to resolve the problem.`}`;
  const keywords = [...some(r, component.keywords, 1, 3), ...(stop ? ['bugcheck'] : []), ...(type === 'hotfix' ? ['hotfix'] : [])];

  const front = [
    '---',
    `id: ${id}`,
    `title: ${yamlQuote(title)}`,
    `summary: ${yamlQuote(summary)}`,
    `type: ${type}`,
    `products: [${products.join(', ')}]`,
    ...(chance(r, 0.6) ? ['appliesTo:', ...some(r, product.editions, 1, 3).map((e) => `  - ${e}`)] : []),
    `published: ${published}`,
    ...(updated && updated > published ? [`updated: ${updated}`] : []),
    `keywords: [${keywords.join(', ')}]`,
    '---',
    '',
  ];

  const hasFiles = type === 'hotfix' && chance(r, 0.6);
  const platforms = hasFiles ? some(r, ['x86', 'x64', 'IA-64'], 1, 3) : [];
  const target = int(r, 3000, 6000);
  const body: string[] = [];
  const symptoms = [`## Symptoms`, '', `Consider the following scenario:`, '', `- You have a computer that is running ${product.name}.`, `- ${action[0]!.toUpperCase()}${action.slice(1)}.`, '', `In this scenario, the ${component.area} ${symptom}.`, ''];
  if (stop) {
    const p = () => `0x${int(r, 0, 0xffffffff).toString(16).toUpperCase().padStart(8, '0')}`;
    symptoms.push('Additionally, you receive a Stop error message that resembles the following:', '', '```text', `STOP ${stop[0]} (${p()}, ${p()}, ${p()}, ${p()})`, stop[1], '```', '', `**Note** Not all "Stop ${stop[0]}" errors are caused by this issue.`, '');
  } else if (chance(r, 0.5)) {
    symptoms.push('You receive an error message that resembles the following:', '', '```text', `${error}. (0x8007${int(r, 0, 0xffff).toString(16).toUpperCase().padStart(4, '0')})`, '```', '');
  }
  body.push(...symptoms);
  body.push('## Cause', '', fill(pick(r, CAUSES)), '');
  const resolution = ['## Resolution', ''];
  if (type === 'hotfix') {
    resolution.push('### Hotfix information', '', pick(r, FILLER), '', '### Prerequisites', '', `To apply this hotfix, you must be running ${pick(r, product.editions)}.`, '');
    if (hasFiles) {
      resolution.push('### File information', '', 'The English version of this hotfix has the file attributes (or later file attributes) that are listed in the following tables.', '');
      if (chance(r, 0.5)) for (const platform of platforms) resolution.push(`[[file-table:files-${platform.toLowerCase()}]]`, '');
    }
  } else {
    resolution.push(`To resolve this problem, follow these steps:`, '', `1. Click **Start**, type \`services.msc\`, and then press ENTER.`, `2. Stop the ${component.service ?? component.area} service.`, `3. Delete the temporary files in \`%SystemRoot%\\Temp\\${camel(r, 2)}\`.`, `4. Start the service again.`, '');
  }
  const registryKey = `HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\${component.service ?? file.replace(/\..*/, '')}\\Parameters`;
  resolution.push('### Registry information', '', `After you apply this update, you can change the behavior with the following registry entry:`, '', `- Subkey: \`${registryKey}\``, `- Name: \`${camel(r, 3)}\``, `- Type: REG_DWORD`, `- Value: ${int(r, 1, 4096)}`, '');
  body.push(...resolution);
  const more = ['## More information', ''];
  if (chance(r, 0.5)) more.push(`For more information about related problems, see KB${generatedId(int(r, 0, i + 50))} and Q${generatedId(int(r, 0, i + 50))}.`, '');
  if (chance(r, 0.05)) {
    // Template-like text in an article (ASP.NET data binding, a Mustache sample): it must stay text.
    more.push('The page uses data-binding expressions such as the following:', '', '```text', `<%# DataBinder.Eval(Container.DataItem, "${camel(r, 2)}") %>`, `{{ ${camel(r, 1).toLowerCase()}.name }} {% if enabled %}on{% endif %}`, '```', '');
  }
  body.push(...more);
  // Fill up to the article's length with more paragraphs in Cause and More information.
  let length = front.join('\n').length + body.join('\n').length;
  while (length < target) {
    const other = pick(r, COMPONENTS);
    const sentences = some(r, FILLER, 1, 3).concat(
      fill(pick(r, CAUSES)),
      `The ${camel(r, 2)} value of ${file} is ${int(r, 1, 65535)} by default.`,
      chance(r, 0.5)
        ? `On ${pick(r, product.editions)}, the same problem can affect the ${other.area} (${pick(r, other.files)}) when ${pick(r, ACTIONS)}.`
        : `When this problem occurs, ${pick(r, other.files)} logs event ID ${int(r, 1000, 7999)} with the description "${pick(r, ERRORS)}".`,
    );
    const paragraph = sentences.join(' ');
    body.push(paragraph, '');
    length += paragraph.length + 2;
  }
  const markdownText = front.join('\n') + '\n' + body.join('\n');

  let filesYaml: string | undefined;
  if (hasFiles) {
    const [major, minor, build] = product.build.split('.');
    const revision = int(r, 16000, 23999);
    const version = `${major}.${minor}.${build}.${revision}`;
    const date = isoDate(Number(published.slice(0, 4)), int(r, 1, 12), int(r, 1, 28));
    const lines = ['# File information (generated for the benchmark)'];
    if (chance(r, 0.4)) lines.push('branches:', `  - { version: ${major}.${minor}.${build}.${String(revision).slice(0, 2)}xxx, product: ${product.name}, srLevel: SP${int(r, 1, 3)}, branch: ${pick(r, ['LDR', 'GDR'])} }`);
    lines.push('tables:');
    for (const platform of platforms) {
      lines.push(`  - platform: ${platform}`, `    caption: For all supported ${platform}-based versions of ${product.name}`, '    files:');
      for (const name of some(r, component.files, 1, 3)) {
        lines.push(`      - { name: ${name}, version: ${version}, size: ${int(r, 20_000, 3_500_000)}, date: ${date}, time: "${String(int(r, 0, 23)).padStart(2, '0')}:${String(int(r, 0, 59)).padStart(2, '0')}" }`);
      }
    }
    filesYaml = lines.join('\n') + '\n';
  }
  return { id, markdown: `kb/${id}/index.md`, markdownText, ...(filesYaml ? { filesYaml } : {}) };
}

/** Write articles 0 … count-1 into outDir (kb/<id>/index.md and files.yaml). */
export async function generateCorpus(outDir: string, count: number, seed = 5): Promise<void> {
  for (let i = 0; i < count; i++) {
    const article = generateArticle(i, seed);
    const dir = path.join(outDir, path.dirname(article.markdown));
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(outDir, article.markdown), article.markdownText);
    if (article.filesYaml) await writeFile(path.join(dir, 'files.yaml'), article.filesYaml);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { count: { type: 'string', default: '2000' }, out: { type: 'string' }, seed: { type: 'string', default: '5' } } });
  if (!values.out) {
    console.error('usage: node --import tsx bench/generate-corpus.ts --count 2000 --out DIR [--seed 5]');
    process.exit(64);
  }
  await generateCorpus(path.resolve(values.out), Number(values.count), Number(values.seed));
  console.log(`wrote ${values.count} generated articles to ${values.out}`);
}
