// Reads an iCalendar file with ical.js, an independent parser, and prints
// what a calendar client would see, as JSON: node read_ics.mjs ICAL_JS FILE
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [, , icalPath, file] = process.argv;
const ICAL = (await import(pathToFileURL(icalPath).href)).default;
const calendar = new ICAL.Component(ICAL.parse(readFileSync(file, 'utf8')));
const events = calendar.getAllSubcomponents('vevent').map((v) => {
  const e = new ICAL.Event(v);
  return {
    uid: e.uid,
    summary: e.summary,
    start: e.startDate.toString(),
    end: e.endDate.toString(),
    all_day: e.startDate.isDate,
    sequence: e.sequence,
    status: v.getFirstPropertyValue('status'),
    location: e.location,
    description: e.description,
    stamp: v.getFirstPropertyValue('dtstamp').toString(),
  };
});
console.log(JSON.stringify({
  version: calendar.getFirstPropertyValue('version'),
  prodid: calendar.getFirstPropertyValue('prodid'),
  name: calendar.getFirstPropertyValue('x-wr-calname'),
  events,
}));
