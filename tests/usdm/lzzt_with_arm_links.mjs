// LZZT as a sponsor could have written it with the arms' study elements
// naming the intervention they receive (the published file leaves them
// empty) and only the 50 cm2 patch: node lzzt_with_arm_links.mjs IN OUT
import { readFileSync, writeFileSync } from 'node:fs';

const [, , input, output] = process.argv;
const doc = JSON.parse(readFileSync(input, 'utf8'));
const version = doc.study.versions[0];
// Elements of the low-dose arm (3) and the high-dose arm (4, 5, 6).
for (const e of version.studyDesigns[0].elements)
  if (['StudyElement_3', 'StudyElement_4', 'StudyElement_5', 'StudyElement_6'].includes(e.id))
    e.studyInterventionIds = ['StudyIntervention_1'];
version.studyInterventions[0].administrations = version.studyInterventions[0].administrations.filter(
  (a) => a.name === 'PATCH_50');
writeFileSync(output, JSON.stringify(doc, null, 2));
