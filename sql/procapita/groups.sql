-- PC-6 all student groups (grupper) of configured schools; the platform checks their dates.
-- Parameters: @schoolIds nvarchar(max) (comma-separated).
SELECT
  g.group_id AS groupId,
  g.school_id AS schoolId,
  g.group_name AS groupName,
  g.start_date AS startDate,
  g.end_date AS endDate
FROM integration.pc_group AS g
WHERE g.school_id IN (SELECT value FROM STRING_SPLIT(@schoolIds, ','))
