-- PC-2 schools: the configured school units with their school form and dates.
-- Parameters: @schoolIds nvarchar(max), the configured school ids separated by commas.
-- The platform re-checks the school form and the dates; this only keeps the read to configured schools.
SELECT
  s.school_id AS schoolId,
  s.school_form AS schoolForm,
  s.school_name AS schoolName,
  s.start_date AS startDate,
  s.end_date AS endDate
FROM integration.pc_school AS s
WHERE s.school_id IN (SELECT value FROM STRING_SPLIT(@schoolIds, ','))
