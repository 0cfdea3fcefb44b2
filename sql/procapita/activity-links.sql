-- PC-6 the classes and groups each activity of a configured school is linked to (one of the two per row).
-- Parameters: @schoolIds nvarchar(max) (comma-separated).
SELECT
  l.activity_id AS activityId,
  l.class_id AS classId,
  l.group_id AS groupId
FROM integration.pc_activity_link AS l
INNER JOIN integration.pc_activity AS a ON a.activity_id = l.activity_id
WHERE a.school_id IN (SELECT value FROM STRING_SPLIT(@schoolIds, ','))
