// Lists of names read in the display language: Intl's conjunction list for that language, and in English the
// extension's own English ("HV01, HV02 and HV03", no serial comma), which every English message already uses.

import * as assert from 'node:assert/strict';
import * as l10n from '@vscode/l10n';
import { formatList, setDisplayLanguage } from '../../../src/hyperv/format';

const HOSTS = ['HV01', 'HV02', 'HV03'];

describe('formatList', () => {
  afterEach(() => setDisplayLanguage('en', {}));

  it('writes English lists as the English messages do: nothing, one name, "a and b", "a, b and c"', () => {
    assert.deepEqual(
      [0, 1, 2, 3].map((n) => formatList(HOSTS.slice(0, n))),
      ['', 'HV01', 'HV01 and HV02', 'HV01, HV02 and HV03'],
    );
  });

  it('writes German lists with "und"', () => {
    assert.deepEqual(
      [0, 1, 2, 3].map((n) => formatList(HOSTS.slice(0, n), 'de')),
      ['', 'HV01', 'HV01 und HV02', 'HV01, HV02 und HV03'],
    );
  });

  it('follows the display language the extension sets, with its bundle for the messages around the list', () => {
    setDisplayLanguage('de', { "'{0}' is not one of the hosts ({1}).": '„{0}“ ist keiner der Hosts ({1}).' });
    assert.equal(
      l10n.t("'{0}' is not one of the hosts ({1}).", 'HV09', formatList(HOSTS)),
      '„HV09“ ist keiner der Hosts (HV01, HV02 und HV03).',
    );
    setDisplayLanguage('en', {});
    assert.equal(
      l10n.t("'{0}' is not one of the hosts ({1}).", 'HV09', formatList(HOSTS)),
      "'HV09' is not one of the hosts (HV01, HV02 and HV03).",
    );
  });

  it("reads any English tag as the extension's English, and a tag Intl cannot read as English", () => {
    for (const locale of ['en', 'en-us', 'EN-US', 'en-GB', 'not a language tag!']) {
      assert.equal(formatList(HOSTS, locale), 'HV01, HV02 and HV03', locale);
    }
  });
});
