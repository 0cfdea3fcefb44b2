-- PC-6 student memberships in groups of configured schools, not ended before @syncDate.
-- Parameters: @schoolIds nvarchar(max) (comma-separated), @syncDate date.
SELECT
  gm.group_id AS groupId,
  gm.student_id AS studentId,
  gm.start_date AS startDate,
  gm.end_date AS endDate
FROM integration.pc_group_member AS gm
INNER JOIN integration.pc_group AS g ON g.group_id = gm.group_id
WHERE g.school_id IN (SELECT value FROM STRING_SPLIT(@schoolIds, ','))
  AND (gm.end_date IS NULL OR gm.end_date >= @syncDate)
