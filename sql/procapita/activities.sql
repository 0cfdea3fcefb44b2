-- PC-6 activities (teaching groups) of configured schools, not ended before @syncDate. The PORTAL
-- marker or the name prefix/suffix is checked by the platform, since it is configurable.
-- Parameters: @schoolIds nvarchar(max) (comma-separated), @syncDate date.
SELECT
  a.activity_id AS activityId,
  a.school_id AS schoolId,
  a.activity_name AS activityName,
  a.other_text AS otherText,
  a.start_date AS startDate,
  a.end_date AS endDate
FROM integration.pc_activity AS a
WHERE a.school_id IN (SELECT value FROM STRING_SPLIT(@schoolIds, ','))
  AND (a.end_date IS NULL OR a.end_date >= @syncDate)
